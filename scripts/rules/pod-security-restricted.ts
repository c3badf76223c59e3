// Every pod template meets Pod Security "restricted" (and so "baseline"), containers and initContainers alike (D-01, D-02).
import { finding, type Rule } from '../lib/validate/types.ts';
import { podSecurityViolations } from './lib/pss.ts';
import { podTemplates } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'pod-security-restricted',
  layer: 'policy',
  description: 'Pod templates pass the Pod Security Standards restricted profile, baseline included',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) => podSecurityViolations(t).map((v) => finding(t.doc, 'pod-security-restricted', v.path, v.message))),
};
