// The most pods and volume claims each rendered workload can have at once: the worst case the quota admits.
import type { V1CronJob, V1Deployment, V1DeploymentStrategy, V1Job, V1PersistentVolumeClaim, V1PodTemplateSpec, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { podTemplateOf } from '../../scripts/lib/transforms/pod-templates.ts';
import type { PodContainers } from './pod-resources.ts';

export interface PodBudget {
  /** `Kind/name` of the workload. */
  owner: string;
  /** Most pods of the workload that exist at once. */
  pods: number;
  pod: PodContainers;
}

export interface ClaimBudget {
  owner: string;
  /** Claims of this size that exist at once. */
  claims: number;
  storage: string;
}

export interface Budget {
  pods: PodBudget[];
  claims: ClaimBudget[];
}

/** Pods a rollout starts before stopping old ones: none with Recreate, else maxSurge (25% by default, rounded up as the controller does). */
export function rolloutSurge(strategy: V1DeploymentStrategy | undefined, replicas: number): number {
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof surge === 'number' ? surge : Math.ceil((replicas * Number.parseInt(surge, 10)) / 100);
}

function podOf(owner: string, template: V1PodTemplateSpec | undefined): PodContainers {
  if (!template?.spec) throw new Error(`${owner} has no pod template`);
  return template.spec;
}

/** An HPA owns the replica count of the Deployment it scales: its maxReplicas is the most there will be. */
function autoscaledMax(objects: readonly KubernetesObject[], deployment: string): number | undefined {
  return objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler')
    .map((o) => o as unknown as V2HorizontalPodAutoscaler)
    .find((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === deployment)?.spec?.maxReplicas;
}

/**
 * Deployments at their HPA's maxReplicas (else replicas) plus the rollout surge; StatefulSets at
 * replicas (they replace pods one at a time); Jobs at parallelism; a CronJob at one Job, which
 * `Forbid` guarantees. Any other pod-bearing kind is refused rather than silently left out.
 */
function workloadPods(o: KubernetesObject, objects: readonly KubernetesObject[]): PodBudget[] {
  const owner = `${o.kind}/${o.metadata.name}`;
  switch (o.kind) {
    case 'Deployment': {
      const spec = (o as unknown as V1Deployment).spec;
      const replicas = autoscaledMax(objects, o.metadata.name) ?? spec?.replicas ?? 1;
      return [{ owner, pods: replicas + rolloutSurge(spec?.strategy, replicas), pod: podOf(owner, spec?.template) }];
    }
    case 'StatefulSet': {
      const spec = (o as unknown as V1StatefulSet).spec;
      return [{ owner, pods: spec?.replicas ?? 1, pod: podOf(owner, spec?.template) }];
    }
    case 'Job': {
      const spec = (o as unknown as V1Job).spec;
      return [{ owner, pods: spec?.parallelism ?? 1, pod: podOf(owner, spec?.template) }];
    }
    case 'CronJob': {
      const spec = (o as unknown as V1CronJob).spec;
      if (spec?.concurrencyPolicy !== 'Forbid') throw new Error(`${owner}: only concurrencyPolicy Forbid bounds how many Jobs run at once, which the ResourceQuota needs`);
      return [{ owner, pods: spec.jobTemplate.spec?.parallelism ?? 1, pod: podOf(owner, spec.jobTemplate.spec?.template) }];
    }
    default:
      if (podTemplateOf(o)) throw new Error(`${owner}: the ResourceQuota does not know how many pods a ${o.kind} runs; teach apps/pvcs/budget.ts`);
      return [];
  }
}

function storageOf(owner: string, claim: Pick<V1PersistentVolumeClaim, 'spec'>): string {
  const storage = claim.spec?.resources?.requests?.storage;
  if (storage === undefined) throw new Error(`${owner} requests no storage`);
  return storage;
}

/** Each PersistentVolumeClaim once, and each volumeClaimTemplate once per StatefulSet replica. */
function workloadClaims(o: KubernetesObject): ClaimBudget[] {
  const owner = `${o.kind}/${o.metadata.name}`;
  if (o.kind === 'PersistentVolumeClaim') return [{ owner, claims: 1, storage: storageOf(owner, o as unknown as V1PersistentVolumeClaim) }];
  if (o.kind !== 'StatefulSet') return [];
  const spec = (o as unknown as V1StatefulSet).spec;
  return (spec?.volumeClaimTemplates ?? []).map((t) => ({ owner, claims: spec?.replicas ?? 1, storage: storageOf(owner, t) }));
}

/** Pods and claims of the rendered `objects`. */
export function renderedBudget(objects: readonly KubernetesObject[]): Budget {
  return { pods: objects.flatMap((o) => workloadPods(o, objects)), claims: objects.flatMap(workloadClaims) };
}
