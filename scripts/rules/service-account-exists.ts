// A pod's serviceAccountName is rendered in its namespace; otherwise its controller cannot create a single pod.
import { finding, type Rule } from '../lib/validate/types.ts';
import { lookup } from './lib/access.ts';
import { podReferences } from './lib/references.ts';
import { podTemplates } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'service-account-exists',
  layer: 'reference',
  description: 'serviceAccountName names a rendered ServiceAccount in the same namespace',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      podReferences(t)
        .filter((r) => r.kind === 'ServiceAccount' && !lookup(ctx.docs, 'ServiceAccount', t.namespace, r.name))
        .map((r) => finding(t.doc, 'service-account-exists', r.path, `ServiceAccount ${r.name} is not rendered in this namespace`)),
    ),
};
