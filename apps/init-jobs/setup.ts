// The install or restore Job: sets the database up once, refuses a half-done setup, and applies Oro's migrations to each new release.
import type { V1Job, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { DATABASE_NAME } from '../db/service.ts';
import { typed } from '../lib/objects.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { releaseName, SETUP_DIR } from '../lib/releases.ts';
import { ADMIN_PASSWORD_KEY, APP_SECRET_NAME, DB_PASSWORD_KEY, DB_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { ORO_ROOT, SHARED_VOLUMES } from '../lib/volumes.ts';
import { failureTrap, initJobLabels, SETUP_WAVE, syncHook } from './hooks.ts';

/** Counts the tables of the application schema, as Oro's own restore decides whether to load its dump. */
const COUNT_TABLES =
  '$db = new PDO(sprintf("pgsql:host=%s;port=%s;dbname=%s", getenv("ORO_DB_HOST"), getenv("ORO_DB_PORT"), getenv("ORO_DB_NAME")), getenv("ORO_DB_USER"), getenv("ORO_DB_PASSWORD")); ' +
  'echo $db->query("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")->fetchColumn();';

/** Where the job sees pvc-oro-app's setup/ folder (lib/releases.ts): outside every release, so it outlives them. */
export const SETUP_STATE_PATH = '/var/lib/oro-setup';
const SETUP_STATE_MOUNT: V1VolumeMount = { name: 'oro-app', mountPath: SETUP_STATE_PATH, subPath: SETUP_DIR };

/** Seed 000 calls the restore Job `oro-restore`. */
export function setupJobName(env: Environment): string {
  return `oro-${env['init-jobs'].mode}`;
}

/**
 * What an operator does when a setup never completed: drop the database (an empty one is set up from scratch on
 * the next sync), or record by hand that the setup did finish. Both commands are ready to paste.
 */
function unfinishedSetupHelp(env: Environment): string {
  const { namespace } = env.destination;
  const marker = 'oro-setup-completed';
  const image = imageRef(env.oro.image);
  const pod = {
    apiVersion: 'v1',
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: env.oro.uid, runAsGroup: env.oro.gid, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: marker,
          image,
          command: ['bash', '-c', `echo "${env['init-jobs'].mode} marked as completed by hand" > /setup/completed`],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'oro-app', mountPath: '/setup', subPath: SETUP_DIR }],
        },
      ],
      volumes: [{ name: 'oro-app', persistentVolumeClaim: { claimName: SHARED_VOLUMES['oro-app'].claimName } }],
    },
  };
  const db = env.db.database;
  return [
    'Oro cannot resume it, and migrating a half-installed database would only bury the damage.',
    'Choose one, then sync the init-jobs Application again:',
    `  1. Start over: drop and recreate the database ${db}; an empty database is set up from scratch:`,
    `       kubectl -n ${namespace} exec -i ${DATABASE_NAME}-0 -- psql -U ${env.db.user} -d postgres \\`,
    `         -c 'DROP DATABASE "${db}" WITH (FORCE)' -c 'CREATE DATABASE "${db}"'`,
    `  2. Keep it: if you have checked that the ${env['init-jobs'].mode} did finish, record it in ${SETUP_DIR}/completed on ${SHARED_VOLUMES['oro-app'].claimName}:`,
    `       kubectl -n ${namespace} run ${marker} --rm -i --restart=Never --image=${image} \\`,
    `         --overrides='${JSON.stringify(pod)}'`,
  ].join('\n');
}

/**
 * Argo CD cannot tell a first install from an upgrade, so the Job decides from what it finds:
 * - an empty database: Oro's own `install` (application image) or `restore` (the -init image's dump), between a
 *   `started` and a `completed` marker. An empty database always starts over, even after an unfinished attempt;
 * - tables, `started` but no `completed`: an install or restore that crashed half-way (the job was killed, the
 *   dump load failed). Oro would see tables and take it for installed, so the job stops with instructions;
 * - tables and another release in the `release` marker (or none: a database set up before the markers existed):
 *   `oro:platform:update` on this release's empty cache, run directly rather than through the entrypoint's
 *   `update`, which ignores the command's exit status and would report a failed migration as a success; only with
 *   maintenance on (upgrade.ts), and the cache warm-up is the next hook's;
 * - tables and the current release: nothing (a sync that only changed settings).
 * The markers live in pvc-oro-app's setup/ folder, beside the releases: they describe the database, not a release.
 * Files rather than a table: Oro's restore loads its dump only into a database with no table at all, and Oro's
 * schema tools see every schema, so a marker table could stop the restore or be dropped by an update; and the job
 * already mounts the volume, while the database role would need extra privileges for a schema of its own.
 */
export function setupScript(env: Environment): string {
  const mode = env['init-jobs'].mode;
  const cache = `${SHARED_VOLUMES.cache.mountPath}/$ORO_ENV`;
  const console = `php ${ORO_ROOT}/bin/console`;
  return [
    'set -euo pipefail',
    `release='${releaseName(env)}'`,
    `state=${SETUP_STATE_PATH}`,
    // Write-then-rename, so a marker is never half written.
    'mark() { printf \'%s\\n\' "$2" > "$state/$1.tmp"; mv "$state/$1.tmp" "$state/$1"; }',
    'now() { date -u +%Y-%m-%dT%H:%M:%SZ; }',
    `until tables=$(php -d display_errors=stderr -r '${COUNT_TABLES}'); do echo "waiting for the database"; sleep 5; done`,
    // Anything but a number must stop the job: read as "not empty", it would migrate an empty database.
    'case "$tables" in ""|*[!0-9]*) echo "unexpected table count: $tables" >&2; exit 1;; esac',
    'if [ "$tables" -eq 0 ]; then',
    '  if [ -e "$state/started" ]; then echo "The database is empty after an unfinished setup ($(cat "$state/started")): starting over"; fi',
    '  rm -f "$state/completed"',
    `  mark started "${mode} of $release, started $(now)"`,
    `  echo "Empty database: running Oro's ${mode}"`,
    `  /usr/local/bin/docker-entrypoint.sh ${mode}`,
    `  mark completed "${mode} of $release, completed $(now)"`,
    'elif [ -e "$state/started" ] && [ ! -e "$state/completed" ]; then',
    '  {',
    '    echo "ERROR: the database has $tables tables, but the setup that created them never completed: $(cat "$state/started")."',
    "    cat <<'HELP'",
    unfinishedSetupHelp(env),
    'HELP',
    '  } >&2',
    '  exit 1',
    'elif [ "$(cat "$state/release" 2>/dev/null || true)" != "$release" ]; then',
    // upgrade.ts: the previous release must never serve a half-migrated schema.
    '  if [ ! -e "$ORO_MAINTENANCE_LOCK_FILE_PATH" ]; then',
    '    echo "ERROR: maintenance is off ($ORO_MAINTENANCE_LOCK_FILE_PATH is missing): refusing to migrate the database while the previous release serves. Sync again: the maintenance-on hook runs first." >&2',
    '    exit 1',
    '  fi',
    `  ${failureTrap('platform update')}`,
    '  echo "Existing database, release $release: running oro:platform:update"',
    `  rm -rf "${cache}"`,
    // --timeout bounds each child command (InstallerBundle/Command/AbstractCommand.php, 6.1.6); the Job's deadline bounds the whole.
    `  ${console} oro:platform:update --force --no-interaction --timeout=${env['init-jobs'].activeDeadlineSeconds}`,
    // Whatever the update cached is dropped: the warm-up hook builds the release's cache from scratch.
    `  rm -rf "${cache}"`,
    '  trap - EXIT',
    'else',
    '  echo "Already set up for $release"',
    'fi',
    ...oauthKeys(console),
    'mark release "$release"',
  ].join('\n');
}

/**
 * The OAuth2 server keys live on the private storage volume (lib/config.ts), so they outlive releases; they are
 * generated once, where missing. Oro's command leaves the private key world-readable (0644), which its own cron
 * check reports: it is narrowed to www-data. A failure only disables the API's OAuth, so it warns rather than stops.
 */
function oauthKeys(console: string): string[] {
  return [
    'if [ ! -s "$ORO_OAUTH_PRIVATE_KEY_PATH" ] || [ ! -s "$ORO_OAUTH_PUBLIC_KEY_PATH" ]; then',
    '  echo "Generating the OAuth2 server keys"',
    '  mkdir -p "$(dirname "$ORO_OAUTH_PRIVATE_KEY_PATH")" "$(dirname "$ORO_OAUTH_PUBLIC_KEY_PATH")"',
    '  rm -f "$ORO_OAUTH_PRIVATE_KEY_PATH" "$ORO_OAUTH_PUBLIC_KEY_PATH"',
    `  ${console} oro:oauth-server:generate-keys --no-interaction || echo "WARNING: the OAuth2 keys could not be generated; the API's OAuth fails until they exist" >&2`,
    'fi',
    'if [ -e "$ORO_OAUTH_PRIVATE_KEY_PATH" ]; then chmod 600 "$ORO_OAUTH_PRIVATE_KEY_PATH"; fi',
  ];
}

/**
 * Runs as www-data like Compose's install/restore, on the same release subPaths as every pod, plus the setup/
 * folder of its markers. Install never retries (a retry of a crashed install would only meet its own `started`
 * marker); restore may retry, which helps when it failed before creating a table. HOME points at /tmp for the
 * console tools that keep state there.
 */
export function setupJob(env: Environment): Manifest<V1Job> {
  const settings = env['init-jobs'];
  const mode = settings.mode;
  const name = setupJobName(env);
  const labels = initJobLabels(env, mode);
  const container = oroContainer(env, {
    name: mode,
    role: mode,
    image: imageRef(mode === 'install' ? env.oro.image : env.oro.initImage),
    command: ['bash', '-c', setupScript(env)],
    resources: settings.resources,
    env: [
      secretEnv('ORO_USER_PASSWORD', APP_SECRET_NAME, ADMIN_PASSWORD_KEY),
      // restore connects as ORO_DB_ROOT_USER, which is the application role (see the ConfigMap).
      ...(mode === 'restore' ? [secretEnv('ORO_DB_ROOT_PASSWORD', DB_SECRET_NAME, DB_PASSWORD_KEY)] : []),
      { name: 'HOME', value: '/tmp' },
    ],
  });
  return typed<V1Job>('batch/v1', 'Job', {
    metadata: { name, labels, annotations: syncHook(SETUP_WAVE) },
    spec: {
      backoffLimit: mode === 'install' ? 0 : settings.backoffLimit,
      activeDeadlineSeconds: settings.activeDeadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          ...oroPodSpec(env, {
            role: mode,
            serviceAccountName: name,
            containers: [{ ...container, volumeMounts: [...(container.volumeMounts ?? []), SETUP_STATE_MOUNT] }],
          }),
          restartPolicy: 'Never',
        },
      },
    },
  });
}
