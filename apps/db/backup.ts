// The nightly logical backup (D-21): a CronJob that pg_dumps the database onto its own volume, verifies the dump and keeps the newest N.
import type { V1Container, V1CronJob, V1EnvVar, V1PersistentVolumeClaim, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { serviceAddress, typed, untyped } from '../lib/objects.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { restrictedContainer, runAsPod, serviceAccount } from '../lib/security.ts';
import { offsiteContainer, offsiteEgress, offsiteSecret, offsiteVolumes } from './backup-offsite.ts';
import { DATABASE_NAME, databaseService, POSTGRES_PORT } from './service.ts';
import { POSTGRES_UID } from './statefulset.ts';

/** The CronJob and its ServiceAccount. */
export const BACKUP_NAME = `${DATABASE_NAME}-backup`;
/** Named like seed 000's volumes; it belongs to the db component because only the backup mounts it. */
export const BACKUP_CLAIM = 'pvc-db-backup';
export const BACKUP_DIR = '/backups';
/** The schedule reads as UTC whatever the controller manager's zone, like the dumps' timestamps. */
const BACKUP_TIME_ZONE = 'Etc/UTC';
/** A run the controller could not start on time (controller down, or the previous run still going) may start within the hour, not hours later in shop time. */
const STARTING_DEADLINE_SECONDS = 3600;
/** Enough finished Jobs to read the last failures' logs; the CronJob deletes older ones (no ttlSecondsAfterFinished, D-20). */
const HISTORY_LIMIT = 3;
/** One retry for a transient failure such as a database restart mid-dump; a second failure waits for a person. */
const BACKOFF_LIMIT = 1;

function backupSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'db', 'database-backup');
}

/**
 * Writes a verified custom-format dump of the database to "$final" (a file name in the current folder). The dump
 * is written under a temporary name and renamed only after pg_restore has read it back, so every dump that exists
 * is complete; --list reads the table of contents, the full read decompresses every data block, so a truncated
 * dump fails tonight, not on restore day. Busybox sh and bash alike.
 */
export function verifiedDumpLines(): string[] {
  return [
    'partial="$final.partial"',
    `trap 'rm -f -- "$partial"' EXIT`,
    'pg_dump -Fc --no-password --file="$partial"',
    'pg_restore --list "$partial" >/dev/null',
    'pg_restore --file=/dev/null "$partial"',
    'mv -- "$partial" "$final"',
  ];
}

/** Deletes all but the newest `keep` files matching `glob` (UTC timestamps in the names sort by time). */
export function pruneLines(glob: string, keep: number): string[] {
  return [`ls -1 -- ${glob} 2>/dev/null | sort -r | tail -n "+$((${keep} + 1))" | xargs -r rm -f --`];
}

/**
 * The nightly run, in the image's busybox sh: a verified dump named `<database>-<UTC stamp>.dump`, then pruning
 * to the newest `retention`, only after a verified dump. The new dump's name goes to `.latest` for the off-cluster
 * copy that follows (backup-offsite.ts).
 */
export function backupScript(env: Environment): string {
  const dumps = `${env.db.database}-*.dump`;
  return [
    'set -eu',
    `cd ${BACKUP_DIR}`,
    // A run stopped by its deadline leaves its partial file behind; Forbid means no other run is writing one.
    'rm -f -- *.partial',
    'stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    `final="${env.db.database}-$stamp.dump"`,
    ...verifiedDumpLines(),
    `printf '%s\\n' "$final" > .latest`,
    `keep=${env.db.backup.retention}`,
    ...pruneLines(dumps, env.db.backup.retention),
    `echo "backup: wrote $final ($(du -h "$final" | cut -f1)), keeping $(ls -1 -- ${dumps} | wc -l) of at most $keep"`,
  ].join('\n');
}

/** libpq's connection variables for the database Service, as the application role. */
export function postgresClientEnv(env: Environment, appName: string): V1EnvVar[] {
  const { host, port } = serviceAddress(databaseService(env), POSTGRES_PORT.name);
  return [
    { name: 'PGHOST', value: host },
    { name: 'PGPORT', value: String(port) },
    { name: 'PGDATABASE', value: env.db.database },
    { name: 'PGUSER', value: env.db.user },
    secretEnv('PGPASSWORD', DB_SECRET_NAME, DB_PASSWORD_KEY),
    // Names the session in pg_stat_activity, so a long dump is recognisable.
    { name: 'PGAPPNAME', value: appName },
  ];
}

/**
 * pg_dump from the server's own image, so client and server versions always match; libpq reads the connection from
 * PG*. The nightly backup and the pre-upgrade backup (apps/init-jobs/upgrade.ts) differ only in script, job and mounts.
 */
export function pgDumpContainer(env: Environment, script: string, jobName: string, volumeMounts: V1VolumeMount[]): V1Container {
  const { requests, limits } = env.db.backup.resources;
  return {
    name: 'pg-dump',
    image: imageRef(env.db.image),
    command: ['/bin/sh', '-c', script],
    env: postgresClientEnv(env, jobName),
    resources: { requests: { ...requests }, limits: { ...limits } },
    securityContext: restrictedContainer(),
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts,
  };
}

function backupContainer(env: Environment): V1Container {
  return pgDumpContainer(env, backupScript(env), BACKUP_NAME, [
    { name: 'backups', mountPath: BACKUP_DIR },
    { name: 'tmp', mountPath: '/tmp' },
  ]);
}

/** Kept when it leaves git or the Application is deleted, like the shared volumes: the dumps must outlive a mistake. */
function backupClaim(env: Environment): Manifest<V1PersistentVolumeClaim> {
  const { size, accessMode, storageClassName } = env.db.backup.storage;
  const storageClass = storageClassName ?? env.db.storage.storageClassName;
  return typed<V1PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', {
    metadata: { name: BACKUP_CLAIM, labels: { ...backupSelector(env) }, annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' } },
    spec: { accessModes: [accessMode], ...(storageClass ? { storageClassName: storageClass } : {}), resources: { requests: { storage: size } } },
  });
}

/**
 * Forbid keeps a second run off the ReadWriteOnce volume while one is going. The version label names
 * PostgreSQL's, as on the StatefulSet. The pipeline adds `part-of: orocommerce` to the pod template,
 * which is what the database's NetworkPolicies admit.
 */
function backupCronJob(env: Environment): Manifest<V1CronJob> {
  const labels = { ...backupSelector(env), 'app.kubernetes.io/version': env.db.image.tag };
  const { schedule, activeDeadlineSeconds } = env.db.backup;
  return typed<V1CronJob>('batch/v1', 'CronJob', {
    metadata: { name: BACKUP_NAME, labels },
    spec: {
      schedule,
      timeZone: BACKUP_TIME_ZONE,
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
      successfulJobsHistoryLimit: HISTORY_LIMIT,
      failedJobsHistoryLimit: HISTORY_LIMIT,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: BACKOFF_LIMIT,
          activeDeadlineSeconds,
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: BACKUP_NAME,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              restartPolicy: 'Never',
              // Oro's group reads the storage volumes for the off-cluster archives.
              securityContext: { ...runAsPod(POSTGRES_UID, POSTGRES_UID), ...(env.db.backup.offsite.enabled ? { supplementalGroups: [env.oro.gid] } : {}) },
              // With off-cluster copies the dump runs first, as an initContainer: the copy starts only after a verified dump.
              ...(env.db.backup.offsite.enabled
                ? { initContainers: [backupContainer(env)], containers: [offsiteContainer(env, BACKUP_DIR)] }
                : { containers: [backupContainer(env)] }),
              volumes: [
                { name: 'backups', persistentVolumeClaim: { claimName: BACKUP_CLAIM } },
                { name: 'tmp', emptyDir: {} },
                ...offsiteVolumes(env),
              ],
            },
          },
        },
      },
    },
  });
}

/** The backup's ServiceAccount, volume and CronJob, with its off-cluster Secret and egress when on; nothing when `db.backup.enabled` is false. */
export function databaseBackup(env: Environment): KubernetesObject[] {
  if (!env.db.backup.enabled) return [];
  return [
    untyped(serviceAccount(BACKUP_NAME, backupSelector(env))),
    untyped(backupClaim(env)),
    untyped(backupCronJob(env)),
    ...offsiteSecret(env),
    ...offsiteEgress(env, backupSelector(env)['app.kubernetes.io/name'] ?? BACKUP_NAME).map(untyped),
  ];
}
