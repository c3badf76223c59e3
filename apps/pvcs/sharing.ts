// Refuses a volume whose access mode cannot serve every pod that mounts it (D-18), before anything is written.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { rolesMounting, type OroRole, type PvcName } from '../lib/volumes.ts';

export interface VolumeUser {
  workload: string;
  /** Most pods of the workload that can run at once. */
  pods: number;
}

/** volume-init mounts every shared volume (at /mnt) to fill and chown it. */
const VOLUME_INIT: VolumeUser = { workload: 'volume-init', pods: 1 };

function maxPods(env: Environment, role: OroRole): number {
  switch (role) {
    case 'php-fpm':
      return env.app['php-fpm'].hpa.maxReplicas;
    case 'consumer':
      return env.app.consumer.replicas;
    case 'websocket':
      return env.websocket.replicas;
    case 'webserver':
      return env.web.replicas;
    default:
      return 1;
  }
}

/** Every workload of this environment that mounts `claim` (only the init job of the chosen mode runs). */
export function volumeUsers(env: Environment, claim: PvcName): VolumeUser[] {
  const skipped: OroRole = env['init-jobs'].mode === 'install' ? 'restore' : 'install';
  const roles = rolesMounting(claim).filter((r) => r !== skipped);
  return [VOLUME_INIT, ...roles.map((r) => ({ workload: r, pods: maxPods(env, r) }))];
}

function describe(users: readonly VolumeUser[]): string {
  return users.map((u) => `${u.workload} (${u.pods === 1 ? '1 pod' : `up to ${u.pods} pods`})`).join(', ');
}

/** Why `claim` cannot work with its access mode, or undefined. */
export function sharingProblem(env: Environment, claim: PvcName): string | undefined {
  const mode = env.pvcs[claim].accessMode;
  const users = volumeUsers(env, claim);
  const shared = users.length > 1 || users.some((u) => u.pods > 1);
  if (!shared) return undefined;
  if (mode === 'ReadWriteOncePod') {
    return `PVC ${claim} is ReadWriteOncePod, which one pod at a time may mount, but ${describe(users)} mount it. Set pvcs.${claim}.accessMode: ReadWriteMany.`;
  }
  if (mode === 'ReadWriteOnce' && !env.topology.singleNode) {
    return (
      `PVC ${claim} is ReadWriteOnce, which attaches to one node, but ${describe(users)} mount it and may run on different nodes ` +
      `(the second pod would hang on a Multi-Attach error). Set pvcs.${claim}.accessMode: ReadWriteMany with a storage class that ` +
      `provides it, or topology.singleNode: true if every pod of this environment runs on one node.`
    );
  }
  return undefined;
}

/** Throws one Error naming the environment and every volume whose access mode cannot be shared as the workloads need. */
export function assertVolumesShareable(env: Environment, claims: readonly PvcName[]): void {
  const problems = claims.flatMap((c) => sharingProblem(env, c) ?? []);
  if (problems.length > 0) {
    throw new Error(`environment "${env.name}": ${problems.length} volume${problems.length === 1 ? '' : 's'} cannot be shared as needed:\n- ${problems.join('\n- ')}`);
  }
}
