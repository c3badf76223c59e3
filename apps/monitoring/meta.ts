// Metadata of the monitoring component's objects: selector labels, plus the stack's selector on operator objects.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { STACK_SELECTOR_LABELS } from './stack.ts';

/**
 * Name and selector labels; `workload` becomes `app.kubernetes.io/name`. The pipeline adds the common
 * labels and the namespace (scripts/lib/transforms/).
 */
export function monitoringMetadata(
  env: Environment,
  name: string,
  workload: string = name,
  extraLabels: Record<string, string> = {},
): V1ObjectMeta & { name: string } {
  return { name, labels: { ...selectorLabels(env, 'monitoring', workload), ...extraLabels } };
}

/**
 * Metadata of a prometheus-operator object: labelled for the stack's selector, and allowed to skip the
 * dry run because the chart installs its CRDs in the same sync that first applies it.
 */
export function operatorObjectMetadata(env: Environment, name: string): V1ObjectMeta & { name: string } {
  return {
    ...monitoringMetadata(env, name, name, { ...STACK_SELECTOR_LABELS }),
    annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
  };
}
