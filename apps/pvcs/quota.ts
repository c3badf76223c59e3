// D-12's ResourceQuota: the namespace's worst case, derived from every workload, plus a documented headroom.
import type { V1ResourceQuota } from '@kubernetes/client-node';
import type { Resources } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { namespaceBudget } from './budget.ts';
import { plus, podCompute, times, ZERO, type Compute } from './pod-resources.ts';
import { bytes, wholeCores, wholeGi } from './quantities.ts';
import type { Budget } from './workload-budget.ts';

export const QUOTA_NAME = 'orocommerce-quota';

/** CPU in millicores, memory and storage in bytes, pods and claims as counts. */
export type WorstCase = Compute & { 'requests.storage': number; persistentvolumeclaims: number; pods: number };

const sum = (ns: readonly number[]): number => ns.reduce((a, b) => a + b, 0);

/** Every workload at its most pods at once, each pod at its effective requests and limits; every claim at its size. */
export function worstCase(budget: Budget, defaults: Resources): WorstCase {
  return {
    ...budget.pods.reduce<Compute>((total, p) => plus(total, times(podCompute(p.pod, defaults), p.pods)), ZERO),
    'requests.storage': sum(budget.claims.map((c) => c.claims * bytes(c.storage))),
    persistentvolumeclaims: sum(budget.claims.map((c) => c.claims)),
    pods: sum(budget.pods.map((p) => p.pods)),
  };
}

/**
 * Derived, never typed, so it cannot block a legitimate rollout: the worst case is every Deployment at
 * its HPA's maxReplicas (else replicas) plus its rollout surge, every StatefulSet at replicas, every init
 * Job and the backup CronJob's Job running at once, kube-prometheus-stack's pods and the runbooks' restore
 * pod, each pod at its effective amount (the larger of its init and running phases, LimitRange defaults
 * for what a container leaves unset); storage and claims are the PVCs, each volumeClaimTemplate per
 * replica, Prometheus's volume and the restore pod's scratch volume. `pvcs.quota.headroomPercent` is
 * added on top, then CPU is rounded up to whole cores and memory and storage to whole GiB.
 */
export function resourceQuotaFor(env: Environment, objects: readonly KubernetesObject[]): Manifest<V1ResourceQuota>[] {
  const { quota, limitRange } = env.pvcs;
  if (!quota.enabled) return [];
  const worst = worstCase(namespaceBudget(env, objects), limitRange.containerDefaults);
  const grow = (n: number): number => Math.ceil((n * (100 + quota.headroomPercent)) / 100);
  const hard = {
    'requests.cpu': wholeCores(grow(worst['requests.cpu'])),
    'requests.memory': wholeGi(grow(worst['requests.memory'])),
    'limits.cpu': wholeCores(grow(worst['limits.cpu'])),
    'limits.memory': wholeGi(grow(worst['limits.memory'])),
    'requests.storage': wholeGi(grow(worst['requests.storage'])),
    persistentvolumeclaims: String(grow(worst.persistentvolumeclaims)),
    pods: String(grow(worst.pods)),
  };
  return [typed<V1ResourceQuota>('v1', 'ResourceQuota', { metadata: { name: QUOTA_NAME }, spec: { hard } })];
}
