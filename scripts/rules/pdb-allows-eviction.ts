// PodDisruptionBudgets leave room for one eviction and let drains evict unhealthy pods (D-15).
import { finding, type Finding, type Rule } from '../lib/validate/types.ts';
import { namespaceOf, ofKind, rec } from './lib/access.ts';
import { labelSelectorSelects } from './lib/selectors.ts';
import { podTemplates, steadyReplicas } from './lib/workloads.ts';

const ID = 'pdb-allows-eviction';

export const rule: Rule = {
  id: ID,
  layer: 'policy',
  description: 'PDBs allow at least one voluntary disruption and use unhealthyPodEvictionPolicy: AlwaysAllow',
  check: (ctx) =>
    ofKind(ctx.docs, 'PodDisruptionBudget').flatMap((pdb) => {
      const spec = rec(pdb.object.spec);
      const out: Finding[] = [];
      const blocks = (path: string, why: string) => out.push(finding(pdb, ID, path, `${why} blocks every voluntary eviction and node drain: use maxUnavailable: 1`));
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%') blocks('spec.maxUnavailable', `maxUnavailable ${String(spec.maxUnavailable)}`);
      if (spec.minAvailable === '100%') blocks('spec.minAvailable', 'minAvailable 100%');
      if (typeof spec.minAvailable === 'number') {
        const selected = podTemplates(ctx.docs).filter((t) => t.namespace === namespaceOf(pdb) && labelSelectorSelects(spec.selector, t.labels));
        const pods = selected.reduce((n, t) => n + steadyReplicas(t.doc, ctx.docs), 0);
        if (selected.length > 0 && spec.minAvailable >= pods) blocks('spec.minAvailable', `minAvailable ${spec.minAvailable} with ${pods} pod(s) selected`);
      }
      if (spec.unhealthyPodEvictionPolicy !== 'AlwaysAllow') {
        out.push(finding(pdb, ID, 'spec.unhealthyPodEvictionPolicy', 'set AlwaysAllow, or a drain waits forever on pods that are running but not ready'));
      }
      return out;
    }),
};
