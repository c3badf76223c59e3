// Long-running containers have readiness and liveness probes; run-to-completion pods and plain initContainers need none (D-13).
import { finding, type Rule } from '../lib/validate/types.ts';
import { containers, LONG_RUNNING_KINDS, podTemplates } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'probes-required',
  layer: 'policy',
  description: 'Containers of Deployments and StatefulSets (native sidecars included) have readiness and liveness probes',
  check: (ctx) =>
    podTemplates(ctx.docs)
      .filter((t) => LONG_RUNNING_KINDS.includes(t.doc.object.kind))
      .flatMap((t) =>
        containers(t)
          .filter((c) => c.longRunning)
          .flatMap((c) =>
            (['readinessProbe', 'livenessProbe'] as const)
              .filter((probe) => c.container[probe] === undefined)
              .map((probe) => finding(t.doc, 'probes-required', `${c.path}.${probe}`, `long-running container ${c.name} has no ${probe}`)),
          ),
      ),
};
