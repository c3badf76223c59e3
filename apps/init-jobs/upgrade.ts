// The upgrade hooks around oro:platform:update: a verified backup tagged with the outgoing release, maintenance on, (the update), cache warm-up, maintenance off.
import type { V1Container, V1Job, V1PersistentVolumeClaim, V1VolumeMount } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { pgDumpContainer, pruneLines, verifiedDumpLines } from '../db/backup.ts';
import { POSTGRES_UID } from '../db/statefulset.ts';
import { typed } from '../lib/objects.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { releaseName, SETUP_DIR } from '../lib/releases.ts';
import { runAsPod } from '../lib/security.ts';
import { ORO_ROOT, SHARED_VOLUMES } from '../lib/volumes.ts';
import { BACKUP_WAVE, failureTrap, initJobLabels, MAINTENANCE_OFF_WAVE, MAINTENANCE_ON_WAVE, syncHook, WARMUP_WAVE } from './hooks.ts';
import { SETUP_STATE_PATH } from './setup.ts';

/*
 * Oro's own upgrade procedure (doc.oroinc.com/backend/setup/upgrade-to-new-version): back up, turn maintenance on,
 * stop cron and the consumers, run oro:platform:update, warm the cache, turn maintenance off. Here every step is an
 * Argo CD Sync hook in its own wave of the init-jobs Application; Argo CD starts a wave only when every hook of the
 * previous one succeeded, so a failed step stops the sync with the shop still in maintenance. Each step reads the
 * state on pvc-oro-app's setup/ folder and skips what does not apply, so every step can run again:
 *   setup/release    the release the database was last set up or migrated for (written by setup.ts)
 *   setup/upgrading  "from <old> to <new>, ...": an upgrade is under way; written by maintenance-on, removed by
 *                    maintenance-off, so a retry after a failure still knows it is in the middle of one.
 *
 * Maintenance in Oro 6.1 is one file: OroMaintenanceBundle's FileDriver (oroinc/platform 6.1.6,
 * src/Oro/Bundle/MaintenanceBundle/Drivers/FileDriver.php) turns it on with fopen(file_path, 'w+') and off with
 * unlink(file_path); the application sets file_path to ORO_MAINTENANCE_LOCK_FILE_PATH, by default
 * var/maintenance/maintenance_lock (oroinc/orocommerce-application config/config.yml, `maintenance_lock_file_path`
 * and `oro_maintenance.driver.options.file_path`), which lib/config.ts points at the shared maintenance volume.
 * `oro:maintenance:lock` / `oro:maintenance:unlock` (alias `lexik:maintenance:lock`/`unlock`,
 * MaintenanceBundle/Resources/config/commands.yml) do exactly that through a booted Symfony kernel, which the new
 * release does not have yet (its cache is empty until the warm-up), so the hooks create and remove the file
 * themselves. While the file exists:
 * - nginx answers 503 (the webserver checks the same file);
 * - every consumer finishes the message in hand, then waits: MessageQueueBundle's MaintenanceExtension checks
 *   maintenance before each receive and sleeps until it is off (Consumption/Extension/MaintenanceExtension.php,
 *   onBeforeReceive); the runtime image's job-runner also watches it (`--lock=.../maintenance_lock`);
 * - cron takes no work: `oro:cron` aborts with "System is in maintenance mode, aborting"
 *   (CronBundle/Command/CronCommand.php, execute()), so the single cron pod keeps running and does nothing.
 */

/** Pre-upgrade dumps live on their own volume: pvc-db-backup is ReadWriteOnce and belongs to the nightly CronJob. */
export const UPGRADE_BACKUP_CLAIM = 'pvc-db-upgrade-backup';
export const UPGRADE_BACKUP_DIR = '/backups';
export const BACKUP_JOB_NAME = 'oro-upgrade-backup';
export const MAINTENANCE_ON_NAME = 'oro-maintenance-on';
export const WARMUP_NAME = 'oro-cache-warmup';
export const MAINTENANCE_OFF_NAME = 'oro-maintenance-off';

/** Seconds maintenance-on waits after writing the lock before it first looks at the queue: consumers poll every second. */
const LOCK_GRACE_SECONDS = 5;
/** Deadline of maintenance-on beyond its drain timeout, and of maintenance-off. */
const MAINTENANCE_DEADLINE_SLACK_SECONDS = 300;

/** Shell preamble every step shares: the release, the state folder, and the outgoing release (empty before any setup). */
function statePreamble(env: Environment, shell: 'bash' | 'sh'): string[] {
  return [
    shell === 'bash' ? 'set -euo pipefail' : 'set -eu',
    `release='${releaseName(env)}'`,
    `state=${SETUP_STATE_PATH}`,
    'outgoing=$(cat "$state/release" 2>/dev/null || true)',
  ];
}

/** psql against Oro's database from the ORO_DB_* variables of the ConfigMap (psql is in Oro's images: oro-image-facts A9). */
const ORO_PSQL =
  'q() { PGPASSWORD="$ORO_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$ORO_DB_HOST" -p "$ORO_DB_PORT" -U "$ORO_DB_USER" -d "$ORO_DB_NAME" -tA -c "$1"; }';
const COUNT_TABLES = 'SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()';

/**
 * Messages a consumer has taken and not yet acknowledged: Oro's DBAL consumer claims a message by setting
 * consumer_id and deletes the row on acknowledge (Component/MessageQueue/Transport/Dbal/DbalMessageConsumer.php,
 * receive and acknowledge; table oro_message_queue from DbalSchema.php, created by OroMessageQueueBundleInstaller).
 */
export const IN_FLIGHT_CONSUMERS = "SELECT coalesce(string_agg(DISTINCT consumer_id, ' ' ORDER BY consumer_id), '') FROM oro_message_queue WHERE consumer_id IS NOT NULL";

/**
 * Step 1, in the database image (pg_dump of the server's version), as the nightly backup does: a verified dump named
 * `pre-upgrade-<db>-<UTC stamp>-from-<outgoing>-to-<new>.dump`. Skipped on a first install (no release recorded and
 * an empty database), when the database is already at this release, and when this transition already has its dump
 * (a retry after a later step failed must not dump a half-migrated database over the good one).
 */
export function upgradeBackupScript(env: Environment): string {
  const db = env.db.database;
  return [
    ...statePreamble(env, 'sh'),
    failureTrap('backup', 'not yet on'),
    'if [ -z "$outgoing" ]; then',
    `  tables=$(psql -X -tA -v ON_ERROR_STOP=1 -c "${COUNT_TABLES}")`,
    '  if [ "$tables" = 0 ]; then echo "upgrade backup: first install (no release recorded, empty database): nothing to back up"; exit 0; fi',
    '  outgoing=unrecorded',
    'fi',
    'if [ "$outgoing" = "$release" ]; then echo "upgrade backup: the database is already at $release: no upgrade"; exit 0; fi',
    `cd ${UPGRADE_BACKUP_DIR}`,
    'tag="from-$outgoing-to-$release"',
    `for f in pre-upgrade-${db}-*-"$tag".dump; do`,
    '  if [ -e "$f" ]; then echo "upgrade backup: $f already holds the database before this upgrade"; exit 0; fi',
    'done',
    'rm -f -- *.partial',
    'stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    `final="pre-upgrade-${db}-$stamp-$tag.dump"`,
    ...verifiedDumpLines(),
    ...pruneLines(`pre-upgrade-${db}-*.dump`, env['init-jobs'].upgrade.keepBackups),
    `echo "upgrade backup: wrote and verified $final ($(du -h "$final" | cut -f1)) on ${UPGRADE_BACKUP_CLAIM}"`,
  ].join('\n');
}

/**
 * Step 2: maintenance on, then wait until no consumer holds a message (bounded by drainTimeoutSeconds). Skipped on a
 * first install (nothing serves yet) and when no upgrade is due. The `upgrading` record is written before the wait,
 * so a retry knows an upgrade is under way even if this step timed out.
 */
export function maintenanceOnScript(env: Environment): string {
  const drain = env['init-jobs'].upgrade.drainTimeoutSeconds;
  return [
    ...statePreamble(env, 'bash'),
    failureTrap('maintenance on'),
    'lock="$ORO_MAINTENANCE_LOCK_FILE_PATH"',
    ORO_PSQL,
    'now() { date -u +%Y-%m-%dT%H:%M:%SZ; }',
    'if [ -z "$outgoing" ] && [ "$(q "' + COUNT_TABLES + '")" = 0 ]; then',
    '  echo "maintenance on: first install, nothing serves yet: skipped"; exit 0',
    'fi',
    'if [ "$outgoing" = "$release" ] && [ ! -e "$state/upgrading" ]; then',
    '  echo "maintenance on: the database is already at $release: no upgrade"; exit 0',
    'fi',
    // FileDriver::createLock: fopen(file_path, 'w+').
    ': > "$lock"',
    'if [ ! -e "$state/upgrading" ]; then',
    '  printf \'%s\\n\' "from ${outgoing:-an unrecorded release} to $release, maintenance on since $(now)" > "$state/upgrading.tmp"',
    '  mv "$state/upgrading.tmp" "$state/upgrading"',
    'fi',
    'echo "maintenance on: $lock exists; the shop answers 503, consumers stop taking messages, cron aborts ($(cat "$state/upgrading"))"',
    `sleep ${LOCK_GRACE_SECONDS}`,
    `deadline=$(( $(date +%s) + ${drain} ))`,
    'while :; do',
    `  busy=$(q "${IN_FLIGHT_CONSUMERS}")`,
    '  if [ -z "$busy" ]; then echo "maintenance on: no consumer holds a message"; break; fi',
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo "ERROR: after ${drain}s these consumers still hold messages: $busy." >&2`,
    '    echo "If their pods are gone (killed mid-message), hand the messages back and sync again:" >&2',
    `    ids=""; for id in $busy; do ids="\${ids:+$ids, }'$id'"; done`,
    `    echo "  UPDATE oro_message_queue SET consumer_id = NULL, redelivered = true WHERE consumer_id IN ($ids);" >&2`,
    '    exit 1',
    '  fi',
    '  echo "maintenance on: waiting for consumers to finish their messages: $busy"',
    '  sleep 5',
    'done',
  ].join('\n');
}

/** Warm-up and maintenance off run only on a database the update brought to this release. */
const UPDATE_COMPLETED =
  'if [ "$outgoing" != "$release" ]; then echo "ERROR: the database is at ${outgoing:-no recorded release}, not $release: the update did not complete" >&2; exit 1; fi';

/** Step 4: the new release's cache, after the update emptied it. Only during an upgrade: install and restore warm their own. */
export function warmupScript(env: Environment): string {
  return [
    ...statePreamble(env, 'bash'),
    failureTrap('cache warm-up'),
    'if [ ! -e "$state/upgrading" ]; then echo "cache warm-up: no upgrade under way: skipped"; exit 0; fi',
    UPDATE_COMPLETED,
    'echo "cache warm-up: $release"',
    `php ${ORO_ROOT}/bin/console cache:warmup --no-interaction`,
  ].join('\n');
}

/** Step 5: maintenance off, only after an upgrade whose update and warm-up completed; a lock set by a person is left alone. */
export function maintenanceOffScript(env: Environment): string {
  return [
    ...statePreamble(env, 'bash'),
    failureTrap('maintenance off'),
    'lock="$ORO_MAINTENANCE_LOCK_FILE_PATH"',
    'if [ ! -e "$state/upgrading" ]; then echo "maintenance off: no upgrade under way: nothing to do"; exit 0; fi',
    UPDATE_COMPLETED,
    // FileDriver::createUnlock: unlink(file_path).
    'rm -f "$lock"',
    'echo "maintenance off: upgrade $(cat "$state/upgrading") completed $(date -u +%Y-%m-%dT%H:%M:%SZ)"',
    'rm -f "$state/upgrading"',
  ].join('\n');
}

const STATE_MOUNT: V1VolumeMount = { name: 'oro-app', mountPath: SETUP_STATE_PATH, subPath: SETUP_DIR };

function hookJob(env: Environment, name: string, wave: number, deadline: number, spec: Manifest<V1Job>['spec']): Manifest<V1Job> {
  const labels = initJobLabels(env, name);
  return typed<V1Job>('batch/v1', 'Job', {
    metadata: { name, labels, annotations: syncHook(wave) },
    spec: { backoffLimit: 0, activeDeadlineSeconds: deadline, ...spec, template: { ...spec!.template, metadata: { labels } } },
  });
}

/** An Oro-image step as www-data, with the mode's volumes (the maintenance volume among them) and the setup/ folder. */
function oroStep(env: Environment, name: string, wave: number, deadline: number, script: string): Manifest<V1Job> {
  const role = env['init-jobs'].mode;
  const container: V1Container = oroContainer(env, { name, role, command: ['bash', '-c', script], resources: env['init-jobs'].resources, env: [{ name: 'HOME', value: '/tmp' }] });
  return hookJob(env, name, wave, deadline, {
    template: {
      spec: {
        ...oroPodSpec(env, {
          role,
          serviceAccountName: name,
          containers: [{ ...container, terminationMessagePolicy: 'FallbackToLogsOnError', volumeMounts: [...(container.volumeMounts ?? []), STATE_MOUNT] }],
        }),
        restartPolicy: 'Never',
      },
    },
  });
}

function backupJob(env: Environment): Manifest<V1Job> {
  return hookJob(env, BACKUP_JOB_NAME, BACKUP_WAVE, env['init-jobs'].upgrade.backupDeadlineSeconds, {
    template: {
      spec: {
        serviceAccountName: BACKUP_JOB_NAME,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        restartPolicy: 'Never',
        securityContext: runAsPod(POSTGRES_UID, POSTGRES_UID),
        containers: [
          pgDumpContainer(env, upgradeBackupScript(env), BACKUP_JOB_NAME, [
            { name: 'backups', mountPath: UPGRADE_BACKUP_DIR },
            { ...STATE_MOUNT, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ]),
        ],
        volumes: [
          { name: 'backups', persistentVolumeClaim: { claimName: UPGRADE_BACKUP_CLAIM } },
          { name: 'oro-app', persistentVolumeClaim: { claimName: SHARED_VOLUMES['oro-app'].claimName } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
    },
  });
}

/** Kept when it leaves git, like pvc-db-backup: the dumps must outlive a mistake. */
export function upgradeBackupClaim(env: Environment): Manifest<V1PersistentVolumeClaim> {
  const { size, accessMode, storageClassName } = env['init-jobs'].upgrade.storage;
  const storageClass = storageClassName ?? env.db.storage.storageClassName;
  return typed<V1PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', {
    metadata: { name: UPGRADE_BACKUP_CLAIM, annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' } },
    spec: { accessModes: [accessMode], ...(storageClass ? { storageClassName: storageClass } : {}), resources: { requests: { storage: size } } },
  });
}

/** Whether the pre-upgrade backup is rendered. */
export function upgradeBackupEnabled(env: Environment): boolean {
  return env['init-jobs'].upgrade.backup;
}

/** The hooks before the update (backup when enabled, maintenance on) and after it (warm-up, maintenance off). */
export function upgradeJobs(env: Environment): { before: Manifest<V1Job>[]; after: Manifest<V1Job>[] } {
  const { upgrade } = env['init-jobs'];
  const slack = MAINTENANCE_DEADLINE_SLACK_SECONDS;
  return {
    before: [
      ...(upgradeBackupEnabled(env) ? [backupJob(env)] : []),
      oroStep(env, MAINTENANCE_ON_NAME, MAINTENANCE_ON_WAVE, upgrade.drainTimeoutSeconds + slack, maintenanceOnScript(env)),
    ],
    after: [
      oroStep(env, WARMUP_NAME, WARMUP_WAVE, upgrade.warmupDeadlineSeconds, warmupScript(env)),
      oroStep(env, MAINTENANCE_OFF_NAME, MAINTENANCE_OFF_WAVE, slack, maintenanceOffScript(env)),
    ],
  };
}
