// Oro's shared volumes: which PVC backs each of the Compose volumes, where it is mounted, and which workload mounts it how.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';

/** The application root inside every Oro image. */
export const ORO_ROOT = '/var/www/oro';

/** The PVCs of seed 000, which are also the keys of `env.pvcs`. */
export const PVC_NAMES = ['pvc-oro-app', 'pvc-cache', 'pvc-public-storage', 'pvc-private-storage', 'pvc-maintenance'] as const;
export type PvcName = (typeof PVC_NAMES)[number];

/** Compose's named volumes (oro-compose §1.3) mapped to the seed's PVC names, at Compose's mount paths. */
export const SHARED_VOLUMES = {
  'oro-app': { claimName: 'pvc-oro-app', mountPath: ORO_ROOT },
  cache: { claimName: 'pvc-cache', mountPath: `${ORO_ROOT}/var/cache` },
  'public-storage': { claimName: 'pvc-public-storage', mountPath: `${ORO_ROOT}/public/media` },
  'private-storage': { claimName: 'pvc-private-storage', mountPath: `${ORO_ROOT}/var/data` },
  maintenance: { claimName: 'pvc-maintenance', mountPath: `${ORO_ROOT}/var/maintenance` },
} as const satisfies Record<string, { claimName: PvcName; mountPath: string }>;
export type SharedVolume = keyof typeof SHARED_VOLUMES;

/**
 * Compose's `multihost_operation_folder` only carries requests to Oro's `operator` service, which
 * drives Docker itself and has no Kubernetes counterpart: nobody reads the folder, so each pod gets
 * an emptyDir there instead of a seventh PVC (the path must still be writable).
 */
export const MULTIHOST_PATH = `${ORO_ROOT}/var/multihost`;

/** Workloads that mount shared volumes, by their `app.kubernetes.io/name`. */
export type OroRole = 'php-fpm' | 'consumer' | 'cron' | 'websocket' | 'webserver' | 'install' | 'restore';

type Access = 'rw' | 'ro';
const APP_SIDE: Readonly<Record<SharedVolume, Access>> = {
  'oro-app': 'rw', cache: 'rw', 'public-storage': 'rw', 'private-storage': 'rw', maintenance: 'rw',
};

/**
 * Compose's mount table (oro-compose §1.3). Deviation: install and restore also mount the maintenance
 * volume, because on an existing database they run `oro:platform:update`, whose maintenance lock must be
 * seen by the running pods rather than land in the image's own var/maintenance.
 */
export const MOUNT_TABLE: Readonly<Record<OroRole, Readonly<Partial<Record<SharedVolume, Access>>>>> = {
  'php-fpm': APP_SIDE,
  consumer: APP_SIDE,
  cron: APP_SIDE,
  websocket: APP_SIDE,
  install: APP_SIDE,
  restore: APP_SIDE,
  webserver: { 'oro-app': 'rw', cache: 'ro', maintenance: 'rw', 'public-storage': 'ro', 'private-storage': 'ro' },
};

/** Roles that write into the multihost folder (Compose mounts it in php-fpm and cron only). */
export const MULTIHOST_ROLES: readonly OroRole[] = ['php-fpm', 'cron'];

function mounted(role: OroRole): [SharedVolume, Access][] {
  return Object.entries(MOUNT_TABLE[role]) as [SharedVolume, Access][];
}

/** The pod volumes of a role: its PVCs, plus the multihost emptyDir where Compose mounted that folder. */
export function sharedVolumes(role: OroRole): V1Volume[] {
  const claims = mounted(role).map(([v]) => ({ name: v, persistentVolumeClaim: { claimName: SHARED_VOLUMES[v].claimName } }));
  return MULTIHOST_ROLES.includes(role) ? [...claims, { name: 'multihost', emptyDir: {} }] : claims;
}

/** The container mounts of a role, read-only where Compose mounts `:ro`. */
export function sharedMounts(role: OroRole): V1VolumeMount[] {
  const mounts = mounted(role).map(([v, access]) => ({
    name: v,
    mountPath: SHARED_VOLUMES[v].mountPath,
    ...(access === 'ro' ? { readOnly: true } : {}),
  }));
  return MULTIHOST_ROLES.includes(role) ? [...mounts, { name: 'multihost', mountPath: MULTIHOST_PATH }] : mounts;
}

/** Roles that mount a PVC. */
export function rolesMounting(claim: PvcName): OroRole[] {
  return (Object.keys(MOUNT_TABLE) as OroRole[]).filter((role) => mounted(role).some(([v]) => SHARED_VOLUMES[v].claimName === claim));
}
