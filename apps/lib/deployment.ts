// The Deployment shape every Oro workload shares: the init-job gate, selector labels on the pods, spread, and a roll on settings changes.
import type { V1Deployment, V1DeploymentStrategy, V1PodSpec } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { initJobs } from '../init-jobs/jobs.ts';
import { spreadConstraints } from './availability.ts';
import { typed } from './objects.ts';
import { configChecksum } from './oro-pod.ts';
import { API_TOKEN_VOLUME, WAITER_POD_LABELS, waitForJobs } from './waiter.ts';

export interface DeploymentSpec {
  name: string;
  selector: Record<string, string>;
  /** Omitted when an HPA owns the replica count, so a sync never resets it (D-17). */
  replicas?: number;
  strategy: V1DeploymentStrategy;
  pod: V1PodSpec;
}

/**
 * Every long-running Oro pod (php-fpm, consumer, cron, websocket, webserver) starts only once all init jobs of its
 * image have completed: volume-init (its release's code is on the volume) and install/restore (the database is set
 * up or migrated for that code). Argo CD's waves order one sync, not the pods created later: an HPA scale-up, a
 * drain, a restart while an upgrade runs. The waiters come first, before the pod's own initContainers; they alone
 * mount the API token, and the pod label lets them reach the API server. Each component binds its workload's
 * ServiceAccount to the job-waiter Role (jobWaiterBinding).
 */
function gatedOnInitJobs(env: Environment, pod: V1PodSpec): V1PodSpec {
  return {
    ...pod,
    initContainers: [...waitForJobs(env, 'init-jobs', initJobs(env)), ...(pod.initContainers ?? [])],
    volumes: [...(pod.volumes ?? []), API_TOKEN_VOLUME],
  };
}

export function oroDeployment(env: Environment, spec: DeploymentSpec): Manifest<V1Deployment> {
  return typed<V1Deployment>('apps/v1', 'Deployment', {
    metadata: { name: spec.name, labels: { ...spec.selector } },
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      selector: { matchLabels: { ...spec.selector } },
      strategy: spec.strategy,
      template: {
        metadata: { labels: { ...spec.selector, ...WAITER_POD_LABELS }, annotations: configChecksum(env) },
        spec: { ...gatedOnInitJobs(env, spec.pod), topologySpreadConstraints: spreadConstraints(env, spec.selector) },
      },
    },
  });
}
