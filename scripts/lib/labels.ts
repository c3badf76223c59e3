// The app.kubernetes.io label scheme: selector labels derived from common labels, never typed twice.
import type { ComponentName } from './component.ts';
import type { Environment } from './environment/schema.ts';

export const PART_OF = 'orocommerce';
export const MANAGED_BY = 'orocommerce-gitops';

/**
 * Labels that select one workload's pods. `name` is the workload (php-fpm, consumer, webserver …):
 * the seeds put `orocommerce` there, but three Deployments share the `app` component and each needs
 * a selector of its own, so the product name moved to `part-of`. `version` never enters a selector,
 * because selectors are immutable and the version changes on every upgrade.
 */
export function selectorLabels(env: Environment, component: ComponentName, workload: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': workload,
    'app.kubernetes.io/instance': `orocommerce-${env.name}`,
    'app.kubernetes.io/component': component,
  };
}

/** Every label the pipeline puts on an object of `component`; `workload` defaults to the component. */
export function commonLabels(env: Environment, component: ComponentName | string, workload?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': workload ?? component,
    'app.kubernetes.io/instance': `orocommerce-${env.name}`,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/version': env.oro.image.tag,
  };
}
