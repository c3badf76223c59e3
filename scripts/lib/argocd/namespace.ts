// The environment's Namespace, synced by the first component's Application (wave -1 inside it) to the workload cluster.
import type { SecretRequirement } from '../component.ts';
import type { Environment } from '../environment/schema.ts';
import type { KubernetesObject } from '../k8s.ts';
import { commonLabels } from '../labels.ts';
import { podSecurityLevel, type PodSecurityLevel } from '../../rules/lib/pss.ts';
import { podTemplates } from '../../rules/lib/workloads.ts';
import { SYNC_WAVE } from '../transforms/sync-wave.ts';

const STRICTNESS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The strictest level that every one of `levels` passes (restricted when there are none). */
export function weakestLevel(levels: readonly PodSecurityLevel[]): PodSecurityLevel {
  return levels.reduce<PodSecurityLevel>((acc, l) => (STRICTNESS.indexOf(l) > STRICTNESS.indexOf(acc) ? l : acc), 'restricted');
}

/** Marks a single-node environment, where the rwo-not-shared rule allows ReadWriteOnce volumes to be shared. */
export const SINGLE_NODE_ANNOTATION = 'orocommerce.io/single-node';
/** Lists, on a `preexisting`-secrets environment, the Secrets that must be created before the first sync. */
export const PREEXISTING_SECRETS_ANNOTATION = 'orocommerce.io/preexisting-secrets';

/**
 * `enforce` is the strictest level that every rendered pod passes (computed, so a new root container
 * cannot slip in unnoticed: it lowers the label in the rendered diff); `warn` and `audit` stay at
 * restricted so every exception is reported by the API server.
 */
export function environmentNamespace(env: Environment, component: string, workloads: readonly KubernetesObject[], secrets: readonly SecretRequirement[] = []): KubernetesObject {
  const docs = workloads.map((object) => ({ file: '', env: env.name, component: '', object }));
  const levels = podTemplates(docs).map(podSecurityLevel);
  const version = `v${env.kubernetesVersion}`;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: env.destination.namespace,
      labels: {
        ...commonLabels(env, component),
        'pod-security.kubernetes.io/enforce': weakestLevel(levels),
        'pod-security.kubernetes.io/enforce-version': version,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': version,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': version,
      },
      annotations: {
        [SYNC_WAVE]: '-1',
        // Removing the Application (or this file) must never delete the namespace and every PVC in it.
        'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
        ...(env.topology.singleNode ? { [SINGLE_NODE_ANNOTATION]: 'true' } : {}),
        ...(env.secrets.provider === 'preexisting' && secrets.length > 0
          ? { [PREEXISTING_SECRETS_ANNOTATION]: [...new Set(secrets.map((s) => s.name))].sort().join(',') }
          : {}),
      },
    },
  };
}
