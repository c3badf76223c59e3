// Every Argo CD Application of an environment belongs to that environment's own AppProject.
import { finding, type Rule } from '../lib/validate/types.ts';
import { ofKind, rec, str } from './lib/access.ts';

const ID = 'application-project-scoped';

/**
 * The root Application may create Applications in the argocd namespace, and an Application names its
 * project itself: one that named `default` (allow everything) or another environment's project would
 * escape every limit of `orocommerce-<env>`. So each one must name exactly its environment's project.
 */
export const rule: Rule = {
  id: ID,
  layer: 'policy',
  description: "Applications name their environment's AppProject (orocommerce-<env>), never default or another's",
  check: (ctx) => {
    const expected = `orocommerce-${ctx.env}`;
    return ofKind(ctx.docs, 'Application')
      .filter((app) => app.object.apiVersion.startsWith('argoproj.io/'))
      .flatMap((app) => {
        const project = str(rec(app.object.spec).project);
        return project === expected ? [] : [finding(app, ID, 'spec.project', `project ${project ?? '(unset)'}: Applications of ${ctx.env} belong to ${expected}`)];
      });
  },
};
