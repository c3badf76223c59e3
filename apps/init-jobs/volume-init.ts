// The volume-init Job: copies the application code from the image into pvc-oro-app and hands the data volumes to www-data.
import type { V1Job, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { codeVersion } from '../lib/config.ts';
import { typed } from '../lib/objects.ts';
import { TMP_MOUNT, TMP_VOLUME } from '../lib/oro-pod.ts';
import { rootContainer } from '../lib/security.ts';
import { ORO_ROOT, SHARED_VOLUMES, type SharedVolume } from '../lib/volumes.ts';
import { syncHook, VOLUME_INIT_WAVE } from './hooks.ts';

export const VOLUME_INIT_NAME = 'volume-init';

/** Every shared volume is mounted under /mnt, never at its runtime path, which would hide the code to copy. */
const MNT = '/mnt';
const VOLUMES = Object.keys(SHARED_VOLUMES) as SharedVolume[];
const mnt = (v: SharedVolume) => `${MNT}/${v}`;

/**
 * Selector labels plus the image version (the pipeline's value, set here explicitly): the waiters
 * select on both, so a Job left from the previous version never satisfies them.
 */
export function volumeInitLabels(env: Environment): Record<string, string> {
  return { ...selectorLabels(env, 'init-jobs', VOLUME_INIT_NAME), 'app.kubernetes.io/version': env.oro.image.tag };
}

/**
 * Kubernetes never fills a volume from an image (Docker did, for Compose's `-- true`). The copy runs
 * only when the marker differs from the image, as an rsync that replaces the previous version's code
 * but keeps runtime state: var/ (sessions, logs, OAuth keys, the setup marker) and the mount points of
 * the other volumes. A code change also empties the cache volume: a container compiled from the old
 * code would otherwise be served with the new one. The marker is written last, so an interrupted copy
 * is redone. The data roots are handed to www-data on every run (cheap, and fsGroup does not apply on
 * NFS-like ReadWriteMany volumes).
 */
export function volumeInitScript(env: Environment): string {
  const owner = `${env.oro.uid}:${env.oro.gid}`;
  const app = mnt('oro-app');
  const cache = mnt('cache');
  const dataRoots = VOLUMES.filter((v) => v !== 'oro-app').map(mnt);
  return [
    'set -euo pipefail',
    `want='${codeVersion(env)}'`,
    `marker=${app}/.oro-image`,
    'if [ "$(cat "$marker" 2>/dev/null || true)" != "$want" ]; then',
    '  echo "Copying the application code of $want"',
    `  rsync -a --delete --filter='protect /.oro-image' --filter='protect /lost+found' --filter='protect /var/***' \\`,
    `    --exclude='/var/cache/*' --exclude='/var/data/*' --exclude='/var/maintenance/*' --exclude='/public/media/*' \\`,
    `    ${ORO_ROOT}/ ${app}/`,
    `  find ${cache} -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} +`,
    `  chown -R ${owner} ${app}/var`,
    '  echo "$want" > "$marker"',
    'fi',
    `chown ${owner} ${dataRoots.join(' ')}`,
  ].join('\n');
}

function volumes(): V1Volume[] {
  return [...VOLUMES.map((v) => ({ name: v, persistentVolumeClaim: { claimName: SHARED_VOLUMES[v].claimName } })), TMP_VOLUME];
}

function mounts(): V1VolumeMount[] {
  return [...VOLUMES.map((v) => ({ name: v, mountPath: mnt(v) })), TMP_MOUNT];
}

/**
 * The one workload that runs as root: `rsync -a` keeps the image's ownership (root code, www-data
 * var/) and chown hands volumes to www-data; both need uid 0 with CHOWN, DAC_OVERRIDE (read and write
 * whatever the previous run left) and FOWNER (set modes and times on files it does not own).
 */
export function volumeInitJob(env: Environment): Manifest<V1Job> {
  const settings = env['init-jobs'];
  const labels = volumeInitLabels(env);
  const { requests, limits } = settings.volumeInitResources;
  return typed<V1Job>('batch/v1', 'Job', {
    metadata: { name: VOLUME_INIT_NAME, labels, annotations: syncHook(VOLUME_INIT_WAVE) },
    spec: {
      backoffLimit: settings.backoffLimit,
      activeDeadlineSeconds: settings.activeDeadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: VOLUME_INIT_NAME,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: 'Never',
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: VOLUME_INIT_NAME,
              image: imageRef(env.oro.image),
              command: ['bash', '-c', volumeInitScript(env)],
              resources: { requests: { ...requests }, limits: { ...limits } },
              securityContext: rootContainer(['CHOWN', 'DAC_OVERRIDE', 'FOWNER']),
              volumeMounts: mounts(),
            },
          ],
          volumes: volumes(),
        },
      },
    },
  });
}
