// Every container and initContainer requests CPU and memory and is limited in both (D-12).
import { finding, type Rule } from '../lib/validate/types.ts';
import { rec } from './lib/access.ts';
import { containers, podTemplates } from './lib/workloads.ts';

const REQUIRED = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'cpu'],
  ['limits', 'memory'],
] as const;

export const rule: Rule = {
  id: 'resources-required',
  layer: 'policy',
  description: 'Containers and initContainers set CPU and memory requests and limits',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      containers(t)
        // Ephemeral (debug) containers may not declare resources at all.
        .filter((c) => c.field !== 'ephemeralContainers')
        .flatMap((c) =>
          REQUIRED.filter(([group, resource]) => rec(rec(c.container.resources)[group])[resource] === undefined).map(([group, resource]) =>
            finding(t.doc, 'resources-required', `${c.path}.resources.${group}.${resource}`, `container ${c.name} has no ${resource} ${group.slice(0, -1)}`),
          ),
        ),
    ),
};
