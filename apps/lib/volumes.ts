// Oro's shared volumes: which PVC backs each of the Compose volumes, where it is mounted, and which workload mounts it how.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { releaseCacheDir, releaseCodeDir, releaseName, SESSIONS_DIR } from './releases.ts';

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

/**
 * PHP's native sessions (`ORO_SESSION_DSN=native:`) are files in var/sessions, which Compose keeps on oro_app.
 * Inside a release they would be lost on every upgrade and split between old and new pods during a rollout, so
 * php-fpm, the only role that serves sessions, mounts one sessions directory of pvc-oro-app shared by all releases.
 */
const SESSIONS_PATH = `${ORO_ROOT}/var/sessions`;
const SESSION_ROLES: readonly OroRole[] = ['php-fpm'];

/** The volumes whose pods see one release's directory rather than the whole volume (lib/releases.ts). */
const RELEASE_DIRS: Readonly<Partial<Record<SharedVolume, (release: string) => string>>> = {
  'oro-app': releaseCodeDir,
  cache: releaseCacheDir,
};

function mounted(role: OroRole): [SharedVolume, Access][] {
  return Object.entries(MOUNT_TABLE[role]) as [SharedVolume, Access][];
}

/** The pod volumes of a role: its PVCs, plus the multihost emptyDir where Compose mounted that folder. */
export function sharedVolumes(role: OroRole): V1Volume[] {
  const claims = mounted(role).map(([v]) => ({ name: v, persistentVolumeClaim: { claimName: SHARED_VOLUMES[v].claimName } }));
  return MULTIHOST_ROLES.includes(role) ? [...claims, { name: 'multihost', emptyDir: {} }] : claims;
}

/**
 * The container mounts of a role, read-only where Compose mounts `:ro`: the code and cache of the environment's
 * release, the other volumes whole. Install, restore, nginx and the long-running pods all mount through here, so
 * they always see the same release.
 */
export function sharedMounts(env: Environment, role: OroRole): V1VolumeMount[] {
  const release = releaseName(env);
  const mounts = mounted(role).map(([v, access]) => {
    const dir = RELEASE_DIRS[v];
    return {
      name: v,
      mountPath: SHARED_VOLUMES[v].mountPath,
      ...(dir ? { subPath: dir(release) } : {}),
      ...(access === 'ro' ? { readOnly: true } : {}),
    };
  });
  const sessions = SESSION_ROLES.includes(role) ? [{ name: 'oro-app', mountPath: SESSIONS_PATH, subPath: SESSIONS_DIR }] : [];
  const multihost = MULTIHOST_ROLES.includes(role) ? [{ name: 'multihost', mountPath: MULTIHOST_PATH }] : [];
  return [...mounts, ...sessions, ...multihost];
}

/** Roles that mount a PVC. */
export function rolesMounting(claim: PvcName): OroRole[] {
  return (Object.keys(MOUNT_TABLE) as OroRole[]).filter((role) => mounted(role).some(([v]) => SHARED_VOLUMES[v].claimName === claim));
}
