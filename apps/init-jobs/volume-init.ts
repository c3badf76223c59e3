// The volume-init Job: copies the image's code into its own release on pvc-oro-app, prepares the release's cache, prunes old releases.
import type { V1Job, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { TMP_MOUNT, TMP_VOLUME } from '../lib/oro-pod.ts';
import { COMPLETED_RELEASE_FILE, RELEASE_MARKER, releaseCacheDir, releaseCodeDir, releaseName, RELEASES_DIR, SESSIONS_DIR, SETUP_DIR } from '../lib/releases.ts';
import { rootContainer } from '../lib/security.ts';
import { ORO_ROOT, SHARED_VOLUMES, type SharedVolume } from '../lib/volumes.ts';
import { initJobLabels, syncHook, VOLUME_INIT_WAVE } from './hooks.ts';
import { wwwDataChecks } from './identity.ts';

export const VOLUME_INIT_NAME = 'volume-init';

/** Every shared volume is mounted whole under /mnt, never at its runtime path, which would hide the code to copy. */
const MNT = '/mnt';
const VOLUMES = Object.keys(SHARED_VOLUMES) as SharedVolume[];
const mnt = (v: SharedVolume) => `${MNT}/${v}`;

/** The image's folders that other volumes cover in the pods: only their (empty) mount points are copied. */
const COVERED = ['/var/cache', '/var/data', '/var/maintenance', '/var/sessions', '/public/media'];

/**
 * Copies the image's code into releases/<release>/ once (Kubernetes never fills a volume from an image, as
 * Docker did for Compose's `-- true`). The copy goes to a temporary folder, gets the marker last and is renamed
 * into place, so a release folder is either complete or absent; a folder without the marker (an interrupted copy
 * that was renamed by hand, or a mount point the kubelet made) is replaced. `rsync -a` keeps the image's owners
 * (root code); only the release's var/, which the pods write, is handed to www-data.
 */
function copyRelease(env: Environment): string[] {
  const excludes = COVERED.map((dir) => `--exclude='${dir}/*'`).join(' ');
  return [
    `if [ -e "$dest/${RELEASE_MARKER}" ]; then`,
    '  echo "Release $release is already on the volume"',
    'else',
    `  echo "Copying the code of ${imageRef(env.oro.image)} into $dest"`,
    '  rm -rf "$dest" "$releases"/.tmp-*',
    `  rsync -a ${excludes} ${ORO_ROOT}/ "$tmp/"`,
    `  chown -R ${env.oro.uid}:${env.oro.gid} "$tmp/var"`,
    `  echo '${imageRef(env.oro.image)}' > "$tmp/${RELEASE_MARKER}"`,
    // rename(2) on one filesystem: the release appears whole; -T refuses to move into an existing folder.
    '  mv -T "$tmp" "$dest"',
    'fi',
  ];
}

/**
 * Keeps the `keepReleases` most recently deployed releases (each run touches its own, so the order is the order
 * of deployment, a rollback included) with their caches, and never the current one: the previous release still
 * serves while the new pods roll out. Nor the release of setup/release, the newest whose setup completed, nor any
 * deployed after it: when an upgrade's setup fails its pods never become ready and the old pods keep serving, so a
 * fix deployed next must not prune the release they serve. While no setup has completed at all, nothing is pruned.
 * A setup/release that names no folder on the volume (pruned by hand) protects nothing.
 */
function pruneReleases(env: Environment): string[] {
  const keep = env['init-jobs'].keepReleases;
  return [
    'touch "$dest"',
    `completed=$(cat "$setup/${COMPLETED_RELEASE_FILE}" 2>/dev/null || true)`,
    'if [ -z "$completed" ] || [ -d "$releases/$completed" ]; then newer=1; else newer=0; fi',
    'if [ -z "$completed" ]; then why="no setup has completed yet"; else why="$completed, the newest release whose setup completed, serves until a newer one completes"; fi',
    `find "$releases" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %f\\n' | sort -rn | cut -d' ' -f2- | {`,
    '  n=0',
    '  while read -r old; do',
    '    n=$((n + 1))',
    '    if [ "$newer" -eq 1 ]; then',
    `      if [ "$n" -gt ${keep} ]; then echo "Keeping release $old: $why"; fi`,
    '      if [ "$old" = "$completed" ]; then newer=0; fi',
    '      continue',
    '    fi',
    `    if [ "$n" -le ${keep} ] || [ "$old" = "$release" ]; then continue; fi`,
    '    echo "Pruning release $old and its cache"',
    '    rm -rf "${releases:?}/$old" "${caches:?}/$old"',
    '  done',
    '}',
  ];
}

/**
 * Hands www-data what it writes and nothing more: the release's cache folder, the sessions and setup folders of
 * pvc-oro-app, and the roots of the data volumes (on every run: cheap, and fsGroup does not apply on NFS-like
 * ReadWriteMany volumes). The code and the roots of pvc-oro-app and pvc-cache stay root's.
 */
function handOver(env: Environment): string[] {
  const owner = `${env.oro.uid}:${env.oro.gid}`;
  const state = [`${mnt('oro-app')}/${SESSIONS_DIR}`, '"$setup"'];
  const dataRoots = (['public-storage', 'private-storage', 'maintenance'] as const).map(mnt);
  return [`mkdir -p "$cache" ${state.join(' ')}`, `chown ${owner} "$cache" ${[...state, ...dataRoots].join(' ')}`];
}

/** The whole script; lib/releases.ts explains the layout and why each image gets a release of its own. */
export function volumeInitScript(env: Environment): string {
  const release = releaseName(env);
  return [
    'set -euo pipefail',
    `release='${release}'`,
    `releases=${mnt('oro-app')}/${RELEASES_DIR}`,
    `dest=${mnt('oro-app')}/${releaseCodeDir(release)}`,
    `tmp="$releases/.tmp-$release"`,
    `caches=${mnt('cache')}`,
    `setup=${mnt('oro-app')}/${SETUP_DIR}`,
    `cache=${mnt('cache')}/${releaseCacheDir(release)}`,
    'mkdir -p "$releases"',
    ...copyRelease(env),
    ...handOver(env),
    ...pruneReleases(env),
  ].join('\n');
}

function volumes(): V1Volume[] {
  return [...VOLUMES.map((v) => ({ name: v, persistentVolumeClaim: { claimName: SHARED_VOLUMES[v].claimName } })), TMP_VOLUME];
}

function mounts(): V1VolumeMount[] {
  return [...VOLUMES.map((v) => ({ name: v, mountPath: mnt(v) })), TMP_MOUNT];
}

/**
 * The first init job, so its initContainers first check that www-data has oro.uid/oro.gid in every image the pods
 * run (identity.ts), before anything is handed to those numbers. Then the one workload that runs as root: `rsync -a` keeps the image's ownership (root code, www-data
 * var/) and chown hands folders to www-data; both need uid 0 with CHOWN, DAC_OVERRIDE (read and write
 * whatever the previous run left) and FOWNER (set modes and times on files it does not own).
 */
export function volumeInitJob(env: Environment): Manifest<V1Job> {
  const settings = env['init-jobs'];
  const labels = initJobLabels(env, VOLUME_INIT_NAME);
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
          initContainers: wwwDataChecks(env),
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
