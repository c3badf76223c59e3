// The restore Job for `npm run restore` and `npm run clone`: maintenance on, the chosen backup verified and loaded in one transaction, optional anonymisation.
import type { V1Container, V1Job, V1Volume } from '@kubernetes/client-node';
import { offsiteEnv, RESTORE_POD_NAME } from '../../../apps/db/backup-offsite.ts';
import { BACKUP_CLAIM, BACKUP_DIR, postgresClientEnv } from '../../../apps/db/backup.ts';
import { POSTGRES_UID } from '../../../apps/db/statefulset.ts';
import { SETUP_STATE_PATH } from '../../../apps/init-jobs/setup.ts';
import { UPGRADE_BACKUP_CLAIM } from '../../../apps/init-jobs/upgrade.ts';
import { releaseName, SETUP_DIR } from '../../../apps/lib/releases.ts';
import { OFFSITE_SECRET_NAME } from '../../../apps/lib/secrets.ts';
import { restrictedContainer } from '../../../apps/lib/security.ts';
import { SHARED_VOLUMES } from '../../../apps/lib/volumes.ts';
import { imageRef } from '../environment/fields.ts';
import type { Environment } from '../environment/schema.ts';
import type { Manifest } from '../k8s.ts';
import { anonymiseSql } from './anonymise.ts';

/** Where a backup is: a dump on pvc-db-backup, a pre-upgrade dump on its own volume, or a backup folder in object storage. */
export type BackupSource = { kind: 'nightly' | 'pre-upgrade'; file: string } | { kind: 'offsite'; stamp: string; secret: string; database: string };

export class BackupIdError extends Error {}

/**
 * `<db>-<stamp>.dump` (nightly), `pre-upgrade-….dump`, or `offsite:<stamp>` (a complete folder in object storage,
 * written by the backup of the environment `from`, whose database name names the dump).
 */
export function parseBackupId(id: string, from: Environment, secret = OFFSITE_SECRET_NAME): BackupSource {
  const offsite = /^offsite:(\d{8}T\d{6}Z)$/.exec(id);
  if (offsite?.[1]) return { kind: 'offsite', stamp: offsite[1], secret, database: from.db.database };
  if (!/^[A-Za-z0-9._-]+\.dump$/.test(id)) {
    throw new BackupIdError(`--backup "${id}" is neither a dump file name (${from.db.database}-<stamp>.dump, pre-upgrade-….dump) nor offsite:<YYYYMMDDTHHMMSSZ>`);
  }
  return { kind: id.startsWith('pre-upgrade-') ? 'pre-upgrade' : 'nightly', file: id };
}

const FETCH_DIR = '/restore';

function dumpPath(source: BackupSource): string {
  if (source.kind === 'offsite') return `${FETCH_DIR}/${source.database}-${source.stamp}.dump`;
  return `${BACKUP_DIR}/${source.file}`;
}

export function describeBackup(source: BackupSource): string {
  return source.kind === 'offsite' ? `offsite:${source.stamp}` : source.file;
}

/**
 * Empties the application schema of what the application role owns: tables (with their sequences, indexes and
 * constraints), views, sequences and functions. The role cannot drop the schema itself or the extensions a
 * superuser created (uuid-ossp), and DROP OWNED would also revoke its grants; so this, object by object.
 */
export const DROP_APP_OBJECTS = [
  'DO $drop$ DECLARE r record; BEGIN',
  "  FOR r IN SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, n.nspname, c.relname) AS q",
  "    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace",
  "    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relowner = current_user::regrole",
  "    ORDER BY c.relkind <> 'r' LOOP EXECUTE r.q; END LOOP;",
  "  FOR r IN SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure) AS q FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace",
  "    WHERE n.nspname = 'public' AND p.proowner = current_user::regrole",
  "      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP EXECUTE r.q; END LOOP;",
  'END $drop$;',
].join('\n');

/** The restore proper, in the database image's sh: read the dump back in full, then replace the schema in one transaction. */
export function restoreScript(source: BackupSource, anonymise: boolean): string {
  const file = dumpPath(source);
  return [
    'set -eu',
    `file='${file}'`,
    'echo "restore: verifying $file"',
    'pg_restore --list "$file" >/dev/null',
    'pg_restore --file=/dev/null "$file"',
    'echo "restore: loading $file in one transaction (the database is unchanged if anything fails)"',
    // A failed second read appends a failing statement, so psql rolls back instead of committing a truncated script.
    '{',
    `  cat <<'DROP'\n${DROP_APP_OBJECTS}\nDROP`,
    // Extensions (and their comments) stay as the superuser created them; the role could not recreate them.
    `  if pg_restore --list "$file" | grep -v ' EXTENSION ' > /tmp/restore.list && pg_restore --no-owner --no-privileges --use-list=/tmp/restore.list --file=- "$file"; then :; else echo "SELECT 'pg_restore failed'::int;"; fi`,
    ...(anonymise ? ["  cat <<'ANONYMISE'", anonymiseSql(), 'ANONYMISE'] : []),
    '} | psql -X -q -v ON_ERROR_STOP=1 --single-transaction',
    `echo "restore: ${describeBackup(source)} loaded${anonymise ? ', customer data anonymised' : ''}"`,
  ].join('\n');
}

/** Downloads an off-cluster backup's dump and checks it against the folder's SHA256SUMS before anything is touched. */
export function fetchScript(source: Extract<BackupSource, { kind: 'offsite' }>): string {
  const dump = `${source.database}-${source.stamp}.dump`;
  return [
    'set -eu',
    `cd ${FETCH_DIR}`,
    'src="offsite:$OFFSITE_BUCKET${OFFSITE_PREFIX:+/${OFFSITE_PREFIX%/}}/' + source.stamp + '"',
    'rclone copyto "$src/SHA256SUMS" SHA256SUMS',
    `rclone copyto "$src/${dump}" '${dump}'`,
    `grep " ${dump}\\$" SHA256SUMS | sha256sum -c -`,
  ].join('\n');
}

/** Maintenance on and the restore recorded as an upgrade under way, so the next sync migrates and turns maintenance off. */
export function maintenanceScript(backup: string): string {
  return [
    'set -eu',
    ': > "$ORO_MAINTENANCE_LOCK_FILE_PATH"',
    `printf '%s\\n' "restore of ${backup}, maintenance on since $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "${SETUP_STATE_PATH}/upgrading"`,
    'echo "restore: maintenance on"',
  ].join('\n');
}

/**
 * After a restore the database's release is unknown: the marker goes, so the next sync of init-jobs runs
 * oro:platform:update for the running release (idempotent on an up-to-date schema), warms the cache and only then
 * turns maintenance off.
 */
export function recordScript(env: Environment, backup: string): string {
  return [
    'set -eu',
    `rm -f "${SETUP_STATE_PATH}/release"`,
    `echo "restore: ${backup} restored into ${env.name}. Maintenance stays on until the upgrade hooks run:"`,
    `echo "  argocd app sync orocommerce-${env.name}-init-jobs   (migrates to ${releaseName(env)}, warms the cache, turns maintenance off)"`,
  ].join('\n');
}

export interface RestoreJobSpec {
  env: Environment;
  source: BackupSource;
  anonymise: boolean;
  /** The Job's name, unique per run (the CLI adds the UTC time). */
  name: string;
}

/**
 * initContainers run in order: maintenance on (Oro image, www-data, the maintenance and setup folders), the
 * download for an off-cluster backup (rclone), the restore (database image, postgres uid); then the Oro image
 * records it. No retries: a failed restore leaves the database as it was and maintenance on, for a person.
 */
export function restoreJob({ env, source, anonymise, name }: RestoreJobSpec): Manifest<V1Job> {
  const oroUser = { ...restrictedContainer(), runAsUser: env.oro.uid, runAsGroup: env.oro.gid };
  const pgUser = { ...restrictedContainer(), runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID };
  const backup = describeBackup(source);
  const stateMount = { name: 'oro-app', mountPath: SETUP_STATE_PATH, subPath: SETUP_DIR };
  const lockEnv = [{ name: 'ORO_MAINTENANCE_LOCK_FILE_PATH', value: `${SHARED_VOLUMES.maintenance.mountPath}/maintenance_lock` }];
  const oro = (n: string, script: string): V1Container => ({
    name: n,
    image: imageRef(env.oro.image),
    command: ['bash', '-c', script],
    env: lockEnv,
    securityContext: oroUser,
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    volumeMounts: [stateMount, { name: 'maintenance', mountPath: SHARED_VOLUMES.maintenance.mountPath }],
  });
  const dumpVolume: V1Volume =
    source.kind === 'offsite'
      ? { name: 'dumps', emptyDir: {} }
      : { name: 'dumps', persistentVolumeClaim: { claimName: source.kind === 'nightly' ? BACKUP_CLAIM : UPGRADE_BACKUP_CLAIM, readOnly: true } };
  const dumpMount = { name: 'dumps', mountPath: source.kind === 'offsite' ? FETCH_DIR : BACKUP_DIR };
  const fetch: V1Container[] =
    source.kind === 'offsite'
      ? [
          {
            name: 'fetch',
            image: imageRef(env.db.backup.offsite.image),
            command: ['/bin/sh', '-c', fetchScript(source)],
            env: [...offsiteEnv().map((e) => (e.valueFrom?.secretKeyRef ? { ...e, valueFrom: { secretKeyRef: { ...e.valueFrom.secretKeyRef, name: source.secret } } } : e)), { name: 'HOME', value: '/tmp' }],
            securityContext: pgUser,
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1000m', memory: '256Mi' } },
            volumeMounts: [dumpMount, { name: 'tmp', mountPath: '/tmp' }],
          },
        ]
      : [];
  const labels = { 'app.kubernetes.io/name': RESTORE_POD_NAME, 'app.kubernetes.io/instance': `orocommerce-${env.name}`, 'app.kubernetes.io/part-of': 'orocommerce' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: env.destination.namespace, labels, annotations: { 'orocommerce.io/backup': backup, 'orocommerce.io/anonymised': String(anonymise) } },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: env.db.backup.activeDeadlineSeconds,
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: 'Never',
          securityContext: { runAsNonRoot: true, fsGroup: env.oro.gid, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [
            oro('maintenance-on', maintenanceScript(backup)),
            ...fetch,
            {
              name: 'restore',
              image: imageRef(env.db.image),
              command: ['/bin/sh', '-c', restoreScript(source, anonymise)],
              env: postgresClientEnv(env, 'database-restore'),
              securityContext: pgUser,
              resources: { requests: { ...env.db.backup.resources.requests }, limits: { ...env.db.backup.resources.limits } },
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [{ ...dumpMount, readOnly: source.kind !== 'offsite' }, { name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          containers: [oro('record', recordScript(env, backup))],
          volumes: [
            dumpVolume,
            { name: 'oro-app', persistentVolumeClaim: { claimName: SHARED_VOLUMES['oro-app'].claimName } },
            { name: 'maintenance', persistentVolumeClaim: { claimName: SHARED_VOLUMES.maintenance.claimName } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  } as Manifest<V1Job>;
}
