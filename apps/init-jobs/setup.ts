// The install or restore Job: sets the database up once, then applies Oro's migrations whenever the code changes.
import type { V1Job } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { codeVersion } from '../lib/config.ts';
import { typed } from '../lib/objects.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { ADMIN_PASSWORD_KEY, APP_SECRET_NAME, DB_PASSWORD_KEY, DB_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { ORO_ROOT, SHARED_VOLUMES } from '../lib/volumes.ts';
import { SETUP_WAVE, syncHook } from './hooks.ts';

/** Counts the tables of the application schema, as Oro's own restore decides whether to load its dump. */
const COUNT_TABLES =
  '$db = new PDO(sprintf("pgsql:host=%s;port=%s;dbname=%s", getenv("ORO_DB_HOST"), getenv("ORO_DB_PORT"), getenv("ORO_DB_NAME")), getenv("ORO_DB_USER"), getenv("ORO_DB_PASSWORD")); ' +
  'echo $db->query("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")->fetchColumn();';

/** Seed 000 calls the restore Job `oro-restore`. */
export function setupJobName(env: Environment): string {
  return `oro-${env['init-jobs'].mode}`;
}

/**
 * Argo CD cannot tell a first install from an upgrade, so the Job decides from the state it finds:
 * - an empty database: Oro's own `install` (application image) or `restore` (the -init image's dump);
 * - tables, and a marker naming another image: `oro:platform:update`, run directly rather than through
 *   the entrypoint's `update`, which ignores the command's exit status and would report a failed
 *   migration as a success;
 * - tables and the current marker: nothing (a sync that only changed settings).
 * The marker lives in var/ on pvc-oro-app, which volume-init keeps across upgrades.
 */
export function setupScript(env: Environment): string {
  const cache = `${SHARED_VOLUMES.cache.mountPath}/$ORO_ENV`;
  const console = `php ${ORO_ROOT}/bin/console`;
  return [
    'set -euo pipefail',
    `want='${codeVersion(env)}'`,
    `marker=${ORO_ROOT}/var/.oro-setup`,
    `until tables=$(php -d display_errors=stderr -r '${COUNT_TABLES}'); do echo "waiting for the database"; sleep 5; done`,
    // Anything but a number must stop the job: read as "not empty", it would migrate an empty database.
    'case "$tables" in ""|*[!0-9]*) echo "unexpected table count: $tables" >&2; exit 1;; esac',
    'if [ "$tables" -eq 0 ]; then',
    `  echo "Empty database: running Oro's ${env['init-jobs'].mode}"`,
    `  /usr/local/bin/docker-entrypoint.sh ${env['init-jobs'].mode}`,
    'elif [ "$(cat "$marker" 2>/dev/null || true)" != "$want" ]; then',
    '  echo "Existing database, code $want: running oro:platform:update"',
    `  rm -rf "${cache}"`,
    `  ${console} oro:platform:update --force --no-interaction --timeout=0`,
    `  rm -rf "${cache}"`,
    `  ${console} cache:warmup`,
    'else',
    '  echo "Already set up for $want"',
    'fi',
    'echo "$want" > "$marker"',
  ].join('\n');
}

/**
 * Runs as www-data like Compose's install/restore. Install never retries: a half-installed database
 * needs a person (drop it, then sync again); restore skips what it finds done and may retry.
 * HOME points at /tmp for the console tools that keep state there.
 */
export function setupJob(env: Environment): Manifest<V1Job> {
  const settings = env['init-jobs'];
  const mode = settings.mode;
  const name = setupJobName(env);
  const labels = selectorLabels(env, 'init-jobs', mode);
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
        spec: { ...oroPodSpec(env, { role: mode, serviceAccountName: name, containers: [container] }), restartPolicy: 'Never' },
      },
    },
  });
}
