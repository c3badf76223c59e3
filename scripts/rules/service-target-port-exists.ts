// Each Service port's targetPort is declared, by name or number, on every pod template the Service selects.
import { finding, type Rule } from '../lib/validate/types.ts';
import { arr, ofKind, rec, ref } from './lib/access.ts';
import { podsOfService } from './lib/selectors.ts';
import { containers, type PodTemplate } from './lib/workloads.ts';

function declares(t: PodTemplate, target: unknown): boolean {
  return containers(t)
    .filter((c) => c.longRunning)
    .some((c) => arr(c.container.ports).some((p) => (typeof target === 'string' ? rec(p).name === target : rec(p).containerPort === target)));
}

export const rule: Rule = {
  id: 'service-target-port-exists',
  layer: 'reference',
  description: 'Service targetPorts (named or numeric) exist on the selected containers',
  check: (ctx) =>
    ofKind(ctx.docs, 'Service').flatMap((s) => {
      const pods = podsOfService(s, ctx.docs);
      return arr(rec(s.object.spec).ports).flatMap((p, i) => {
        const port = rec(p);
        const target = port.targetPort ?? port.port;
        const path = `spec.ports[${i}].${port.targetPort === undefined ? 'port' : 'targetPort'}`;
        return pods
          .filter((t) => !declares(t, target))
          .map((t) => finding(s, 'service-target-port-exists', path, `target port ${String(target)} is not a container port of ${ref(t.doc)}`));
      });
    }),
};
