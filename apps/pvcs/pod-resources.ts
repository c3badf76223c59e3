// What one pod counts for against a ResourceQuota: each container as admitted (LimitRange defaults applied), and the pod's effective sum.
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { Resources } from '../../scripts/lib/environment/fields.ts';
import { bytes, millicores } from './quantities.ts';

export const COMPUTE_KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;
export type ComputeKey = (typeof COMPUTE_KEYS)[number];
/** CPU in millicores and memory in bytes, keyed as in a ResourceQuota's `hard`. */
export type Compute = Record<ComputeKey, number>;

export type PodContainers = Pick<V1PodSpec, 'containers' | 'initContainers'>;
type ContainerResources = Pick<V1Container, 'resources' | 'restartPolicy'>;

export const ZERO: Compute = { 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };

function combine(a: Compute, b: Compute, f: (x: number, y: number) => number): Compute {
  return Object.fromEntries(COMPUTE_KEYS.map((k) => [k, f(a[k], b[k])])) as Compute;
}

export function plus(a: Compute, b: Compute): Compute {
  return combine(a, b, (x, y) => x + y);
}

export function larger(a: Compute, b: Compute): Compute {
  return combine(a, b, Math.max);
}

export function times(a: Compute, n: number): Compute {
  return combine(a, ZERO, (x) => x * n);
}

/**
 * A container as the API server admits it: an unset request takes the container's own limit (API
 * defaulting), else the LimitRange's defaultRequest; an unset limit takes the LimitRange's default.
 */
export function containerCompute(c: ContainerResources, defaults: Resources): Compute {
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  const request = (r: 'cpu' | 'memory'): string => requests[r] ?? limits[r] ?? defaults.requests[r];
  const limit = (r: 'cpu' | 'memory'): string => limits[r] ?? defaults.limits[r];
  return {
    'requests.cpu': millicores(request('cpu')),
    'requests.memory': bytes(request('memory')),
    'limits.cpu': millicores(limit('cpu')),
    'limits.memory': bytes(limit('memory')),
  };
}

/**
 * The pod's effective amount, as the scheduler and the quota count it: the larger of its init phase
 * (each init container beside the native sidecars, `restartPolicy: Always`, started before it) and its
 * running phase (every container plus every sidecar).
 */
export function podCompute(pod: PodContainers, defaults: Resources): Compute {
  const init = (pod.initContainers ?? []).reduce(
    (acc, c) => {
      const own = containerCompute(c, defaults);
      const sidecars = c.restartPolicy === 'Always' ? plus(acc.sidecars, own) : acc.sidecars;
      return { sidecars, peak: larger(acc.peak, c.restartPolicy === 'Always' ? sidecars : plus(sidecars, own)) };
    },
    { sidecars: ZERO, peak: ZERO },
  );
  const running = pod.containers.reduce((sum, c) => plus(sum, containerCompute(c, defaults)), init.sidecars);
  return larger(init.peak, running);
}

/** Every container and init container of the pod, each as admitted. */
export function containerComputes(pod: PodContainers, defaults: Resources): Compute[] {
  return [...(pod.initContainers ?? []), ...pod.containers].map((c) => containerCompute(c, defaults));
}
