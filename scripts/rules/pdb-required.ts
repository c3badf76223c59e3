// A workload that keeps two or more pods, or is scaled by an HPA, is covered by a PodDisruptionBudget (D-15).
import { finding, type Rule } from '../lib/validate/types.ts';
import { ofKind, rec } from './lib/access.ts';
import { labelSelectorSelects } from './lib/selectors.ts';
import { hpaFor, podTemplates, steadyReplicas } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'pdb-required',
  layer: 'policy',
  description: 'Deployments and StatefulSets with replicas ≥ 2 or an HPA have a PDB selecting their pods',
  check: (ctx) => {
    const pdbs = ofKind(ctx.docs, 'PodDisruptionBudget');
    return podTemplates(ofKind(ctx.docs, 'Deployment', 'StatefulSet'))
      .filter((t) => hpaFor(t.doc, ctx.docs) !== undefined || steadyReplicas(t.doc, ctx.docs) >= 2)
      .filter((t) => !pdbs.some((p) => (p.object.metadata.namespace ?? '') === t.namespace && labelSelectorSelects(rec(p.object.spec).selector, t.labels)))
      .map((t) => finding(t.doc, 'pdb-required', 'spec.template.metadata.labels', 'replicated workload without a PodDisruptionBudget: a drain may evict every pod at once'));
  },
};
