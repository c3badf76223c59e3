// A ReadWriteOnce(Pod) claim is mounted by one workload that never runs two pods at once, or the second pod hangs on Multi-Attach (D-18).
import { finding, type Rule } from '../lib/validate/types.ts';
import { arr, namespaceOf, ofKind, rec, ref } from './lib/access.ts';
import { SINGLE_NODE_ANNOTATION } from '../lib/argocd/namespace.ts';
import { isSingleNode } from './lib/contract.ts';
import { podReferences } from './lib/references.ts';
import { podTemplates, severalPodsReason } from './lib/workloads.ts';

const ID = 'rwo-not-shared';

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: `ReadWriteOnce claims are not shared by two workloads or a multi-pod workload (ReadWriteOnce is allowed on a Namespace annotated ${SINGLE_NODE_ANNOTATION}: "true")`,
  check: (ctx) =>
    ofKind(ctx.docs, 'PersistentVolumeClaim').flatMap((pvc) => {
      const modes = arr(rec(pvc.object.spec).accessModes);
      if (modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany')) return [];
      const perPod = modes.includes('ReadWriteOncePod');
      // ReadWriteOnce is per node, so one node makes sharing safe; ReadWriteOncePod is per pod, always.
      if (!perPod && (!modes.includes('ReadWriteOnce') || isSingleNode(ctx.docs, namespaceOf(pvc)))) return [];
      const mode = perPod ? 'ReadWriteOncePod' : 'ReadWriteOnce';
      const name = pvc.object.metadata.name;
      const users = podTemplates(ctx.docs).flatMap((t) => {
        const mount = podReferences(t).find((r) => r.kind === 'PersistentVolumeClaim' && r.name === name);
        return mount && t.namespace === namespaceOf(pvc) ? [{ t, path: mount.path }] : [];
      });
      return users.flatMap(({ t, path }) => {
        const others = users.filter((u) => u.t !== t).map((u) => ref(u.t.doc));
        const reason = others.length > 0 ? `${others.join(', ')} also mount${others.length === 1 ? 's' : ''} it` : severalPodsReason(t.doc, ctx.docs);
        return reason ? [finding(t.doc, ID, path, `${mode} claim ${name} is shared: ${reason}; use ReadWriteMany or one single-pod workload`)] : [];
      });
    }),
};
