// Containers run with a read-only root filesystem; writable paths come from explicit volumes (D-04).
import { finding, type Rule } from '../lib/validate/types.ts';
import { rec } from './lib/access.ts';
import { containers, podTemplates } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'readonly-root-filesystem',
  layer: 'policy',
  description: 'Containers and initContainers set securityContext.readOnlyRootFilesystem: true',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      containers(t)
        .filter((c) => rec(c.container.securityContext).readOnlyRootFilesystem !== true)
        .map((c) =>
          finding(t.doc, 'readonly-root-filesystem', `${c.path}.securityContext.readOnlyRootFilesystem`, `container ${c.name} can write to its image filesystem: mount an emptyDir where it writes`),
        ),
    ),
};
