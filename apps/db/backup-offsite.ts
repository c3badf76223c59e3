// Off-cluster copies of each verified nightly dump and of the public and private storage volumes, in S3-compatible object storage, with rclone.
import type { V1Container, V1EnvVar, V1Volume } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { externalSecrets } from '../lib/external-secret.ts';
import { networkPolicy, type NetworkPolicy } from '../lib/network.ts';
import { OFFSITE_KEYS, OFFSITE_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { restrictedContainer } from '../lib/security.ts';
import { SHARED_VOLUMES } from '../lib/volumes.ts';

/** rclone's remote name; its settings come from RCLONE_CONFIG_OFFSITE_* variables, no config file. */
const REMOTE = 'offsite';
/** Where the backup pod reads the storage volumes (read-only). */
export const FILES_MOUNT = '/data';
export const FILE_VOLUMES = ['public-storage', 'private-storage'] as const;
/** Object written last into a backup's folder: the checksums of its objects. A folder without it is incomplete. */
export const COMPLETE_MARKER = 'SHA256SUMS';

/** The Secret from the store (remote key `<prefix>/backup-offsite`), rendered only when the copies are on. */
export function offsiteSecret(env: Environment): KubernetesObject[] {
  if (!env.db.backup.offsite.enabled) return [];
  return externalSecrets(env, { name: OFFSITE_SECRET_NAME, keys: OFFSITE_KEYS.map((key) => ({ secretKey: key, remote: 'backup-offsite', property: key })) });
}

/** rclone's S3 remote and the bucket and prefix, all from the Secret. */
export function offsiteEnv(): V1EnvVar[] {
  const k = `RCLONE_CONFIG_${REMOTE.toUpperCase()}`;
  return [
    { name: `${k}_TYPE`, value: 's3' },
    // "Other": any S3-compatible server; path-style addressing works with all of them.
    { name: `${k}_PROVIDER`, value: 'Other' },
    { name: `${k}_FORCE_PATH_STYLE`, value: 'true' },
    secretEnv(`${k}_ENDPOINT`, OFFSITE_SECRET_NAME, 'endpoint'),
    secretEnv(`${k}_REGION`, OFFSITE_SECRET_NAME, 'region'),
    secretEnv(`${k}_ACCESS_KEY_ID`, OFFSITE_SECRET_NAME, 'access-key-id'),
    secretEnv(`${k}_SECRET_ACCESS_KEY`, OFFSITE_SECRET_NAME, 'secret-access-key'),
    // The bucket exists; credentials limited to it cannot create one, so rclone must not try.
    { name: 'RCLONE_S3_NO_CHECK_BUCKET', value: 'true' },
    { name: 'RCLONE_CONFIG', value: '/dev/null' },
    secretEnv('OFFSITE_BUCKET', OFFSITE_SECRET_NAME, 'bucket'),
    secretEnv('OFFSITE_PREFIX', OFFSITE_SECRET_NAME, 'prefix'),
  ];
}

/**
 * The copy, in the rclone image's busybox sh, after the nightly dump (its name is in .latest). One folder per backup,
 * `<bucket>/<prefix>/<UTC stamp>/`: the dump, one tar.gz per storage volume, then SHA256SUMS last. Every object is
 * read back in full from the object storage and its checksum compared with what was sent, so a copy is only kept
 * when it reads back whole (as the dump itself is only kept when pg_restore reads it back). Older backups are pruned
 * to `retention` complete ones only after the new one is complete; a failed run deletes its own incomplete folder
 * and nothing else.
 */
export function offsiteScript(env: Environment, backupDir: string): string {
  const { retention, files } = env.db.backup.offsite;
  return [
    'set -eu',
    `cd ${backupDir}`,
    'dump=$(cat .latest)',
    `stamp=\${dump#${env.db.database}-}`,
    'stamp=${stamp%.dump}',
    'base="' + REMOTE + ':$OFFSITE_BUCKET${OFFSITE_PREFIX:+/${OFFSITE_PREFIX%/}}"',
    'dest="$base/$stamp"',
    'work=$(mktemp -d)',
    'done=no',
    // A failed run leaves nothing half-written behind, and never touches another backup.
    `trap 'if [ "$done" != yes ]; then echo "offsite: FAILED; removing the incomplete $dest, older backups untouched" >&2; rclone purge "$dest" 2>/dev/null || true; fi; rm -rf "$work"' EXIT`,
    // Reads the object back in full and compares its checksum with the one sent.
    'verify() {',
    '  got=$(rclone cat "$dest/$1" | sha256sum | cut -d" " -f1)',
    '  if [ "$got" != "$2" ]; then echo "offsite: $1 reads back as $got, sent $2" >&2; exit 1; fi',
    '  printf "%s  %s\\n" "$2" "$1" >> "$work/sums"',
    '  echo "offsite: $1 uploaded and read back ($2)"',
    '}',
    'sum=$(sha256sum "$dump" | cut -d" " -f1)',
    'rclone copyto "$dump" "$dest/$dump"',
    'verify "$dump" "$sum"',
    // Each volume is streamed (no local copy of the media): tar's status and the stream's checksum are kept aside.
    ...(files
      ? [
          `for v in ${FILE_VOLUMES.join(' ')}; do`,
          '  mkfifo "$work/$v.fifo"',
          '  sha256sum < "$work/$v.fifo" | cut -d" " -f1 > "$work/$v.sum" &',
          `  { tar -C "${FILES_MOUNT}/$v" -czf - . ; echo $? > "$work/$v.tar"; } | tee "$work/$v.fifo" | rclone rcat "$dest/$v.tar.gz"`,
          '  wait',
          '  if [ "$(cat "$work/$v.tar")" != 0 ]; then echo "offsite: tar of $v failed" >&2; exit 1; fi',
          '  verify "$v.tar.gz" "$(cat "$work/$v.sum")"',
          'done',
        ]
      : []),
    `rclone copyto "$work/sums" "$dest/${COMPLETE_MARKER}"`,
    'done=yes',
    `echo "offsite: backup $stamp complete in $dest"`,
    // Pruning: the newest `retention` complete backups stay; older folders go, complete or not (failed leftovers).
    `keep=${retention}`,
    `complete=$(rclone lsf --files-only --include "/*/${COMPLETE_MARKER}" -R "$base" | cut -d/ -f1 | sort -r)`,
    'oldest_kept=$(echo "$complete" | head -n "$keep" | tail -n 1)',
    'for old in $(rclone lsf --dirs-only "$base" | tr -d / | sort); do',
    '  if [ "$old" != "$oldest_kept" ] && [ "$(printf "%s\\n%s\\n" "$old" "$oldest_kept" | sort | head -n 1)" = "$old" ]; then',
    '    echo "offsite: pruning $old"; rclone purge "$base/$old"',
    '  fi',
    'done',
  ].join('\n');
}

/** The storage volumes, read-only, for the archives. */
export function offsiteVolumes(env: Environment): V1Volume[] {
  if (!env.db.backup.offsite.enabled || !env.db.backup.offsite.files) return [];
  return FILE_VOLUMES.map((v) => ({ name: v, persistentVolumeClaim: { claimName: SHARED_VOLUMES[v].claimName, readOnly: true } }));
}

/** The rclone container that runs after the dump (the dump is an initContainer, so it runs only after a verified dump). */
export function offsiteContainer(env: Environment, backupDir: string): V1Container {
  const { image, resources } = env.db.backup.offsite;
  return {
    name: 'offsite-copy',
    image: imageRef(image),
    command: ['/bin/sh', '-c', offsiteScript(env, backupDir)],
    env: [...offsiteEnv(), { name: 'HOME', value: '/tmp' }],
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    securityContext: restrictedContainer(),
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [
      { name: 'backups', mountPath: backupDir, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      ...offsiteVolumes(env).map((v) => ({ name: v.name, mountPath: `${FILES_MOUNT}/${v.name}`, readOnly: true })),
    ],
  };
}

/** `app.kubernetes.io/name` of the restore Jobs that `npm run restore` and `npm run clone` create (scripts/lib/restore/job.ts). */
export const RESTORE_POD_NAME = 'database-restore';

/**
 * The nightly backup pod (when its copies are on) and restore pods (always: any environment can be the target of a
 * clone) may reach the object storage; the namespace's default deny drops everything else.
 */
export function offsiteEgress(env: Environment, backupPodName: string): NetworkPolicy[] {
  const { enabled, egress } = env.db.backup.offsite;
  const names = enabled ? [backupPodName, RESTORE_POD_NAME] : [RESTORE_POD_NAME];
  return [
    networkPolicy('allow-object-storage-egress', {
      matchLabels: { 'app.kubernetes.io/instance': `orocommerce-${env.name}` },
      matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: names }],
    }, {
      egress: [{ to: egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: egress.ports.map((port) => ({ protocol: 'TCP', port })) }],
    }),
  ];
}
