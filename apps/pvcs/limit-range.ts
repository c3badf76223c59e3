// D-12's LimitRange: resources for a container that sets none, and a per-container max derived from every workload.
import type { V1LimitRange, V1LimitRangeItem, V1LimitRangeSpec } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { namespaceBudget } from './budget.ts';
import { containerCompute, containerComputes, larger } from './pod-resources.ts';
import { wholeCores, wholeGi } from './quantities.ts';

/** client-node names the item's `default` field `_default` (its serializer renames it); this pipeline writes objects as they are. */
type LimitRangeItem = Omit<V1LimitRangeItem, '_default'> & { default?: Record<string, string> };
export type LimitRange = Manifest<Omit<V1LimitRange, 'spec'> & { spec: Omit<V1LimitRangeSpec, 'limits'> & { limits: LimitRangeItem[] } }>;

export const LIMIT_RANGE_NAME = 'orocommerce-defaults';

/**
 * `default` and `defaultRequest` are a safety net for containers that set no resources (the Helm chart's),
 * which the ResourceQuota's compute keys would otherwise refuse. `max` is the largest limit of any
 * container the quota budgets for (the chart's and the runbooks' too), rounded up to whole cores and GiB,
 * and never below the default limit, which the API requires.
 */
export function limitRangeFor(env: Environment, objects: readonly KubernetesObject[]): LimitRange {
  const defaults = env.pvcs.limitRange.containerDefaults;
  const largest = namespaceBudget(env, objects)
    .pods.flatMap((p) => containerComputes(p.pod, defaults))
    .reduce(larger, containerCompute({}, defaults));
  return typed('v1', 'LimitRange', {
    metadata: { name: LIMIT_RANGE_NAME },
    spec: {
      limits: [
        {
          type: 'Container',
          default: { ...defaults.limits },
          defaultRequest: { ...defaults.requests },
          max: { cpu: wholeCores(largest['limits.cpu']), memory: wholeGi(largest['limits.memory']) },
        },
      ],
    },
  });
}
