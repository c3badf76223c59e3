// A workload an HPA scales renders no spec.replicas, or every Argo CD sync resets the HPA's scale (D-17).
import { finding, type Rule } from '../lib/validate/types.ts';
import { ofKind, rec, ref } from './lib/access.ts';
import { hpaTarget } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'hpa-target-no-replicas',
  layer: 'policy',
  description: 'Workloads targeted by an HPA leave spec.replicas unset',
  check: (ctx) =>
    ofKind(ctx.docs, 'HorizontalPodAutoscaler').flatMap((hpa) => {
      const target = hpaTarget(hpa, ctx.docs);
      return target && rec(target.object.spec).replicas !== undefined
        ? [finding(target, 'hpa-target-no-replicas', 'spec.replicas', `${ref(hpa)} owns the replica count: drop spec.replicas or every sync resets it`)]
        : [];
    }),
};
