// Every HorizontalPodAutoscaler scales a workload rendered in its namespace.
import { finding, type Rule } from '../lib/validate/types.ts';
import { ofKind, rec, str } from './lib/access.ts';
import { hpaTarget } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'hpa-target-exists',
  layer: 'reference',
  description: 'HPA scaleTargetRef names a rendered workload in the same namespace',
  check: (ctx) =>
    ofKind(ctx.docs, 'HorizontalPodAutoscaler')
      .filter((hpa) => hpaTarget(hpa, ctx.docs) === undefined)
      .map((hpa) => {
        const target = rec(rec(hpa.object.spec).scaleTargetRef);
        return finding(hpa, 'hpa-target-exists', 'spec.scaleTargetRef.name', `${str(target.kind) ?? '?'}/${str(target.name) ?? '?'} is not rendered in this namespace`);
      }),
};
