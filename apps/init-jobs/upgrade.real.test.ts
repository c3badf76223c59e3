// The upgrade hooks' scripts run in order against a real PostgreSQL 17 with real pg_dump/pg_restore/psql; only Oro's console is a stub.
import { DROP_APP_OBJECTS } from '../../scripts/lib/restore/job.ts';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { ORO_MESSAGE_QUEUE_DDL } from '../../scripts/lib/restore/oro-queue-table.ts';
import { PG_CLIENT_BIN, startPostgres, type Postgres } from '../../scripts/lib/restore/real-servers.ts';
import { setupScript, SETUP_STATE_PATH } from './setup.ts';
import { maintenanceOffScript, maintenanceOnScript, UPGRADE_BACKUP_DIR, upgradeBackupScript, warmupScript } from './upgrade.ts';

let pg: Postgres;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(() => pg?.stop());

let root: string;
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * A fresh database with Oro's queue table and one shop table, and a workspace: setup/ state, the backup folder, the
 * maintenance lock's folder, and stubs on PATH. The console stub migrates for real (adds a column) and records
 * whether maintenance was on at that moment; `sleep` returns at once so drain loops run fast.
 */
beforeEach(() => {
  pg.sql(DROP_APP_OBJECTS);
  root = mkdtempSync(path.join(os.tmpdir(), 'upgrade-'));
  roots.push(root);
  for (const d of ['bin', 'state', 'backups', 'maintenance', 'oro/var/cache/prod', 'data']) mkdirSync(path.join(root, d), { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(root, 'bin', name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(root, 'bin', name), 0o755);
  };
  const psql = `PGPASSWORD="$ORO_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$ORO_DB_HOST" -p "$ORO_DB_PORT" -U "$ORO_DB_USER" -d "$ORO_DB_NAME" -tA`;
  stub(
    'php',
    [
      `if [ "$1" = -d ]; then ${psql} -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"; exit; fi`,
      `echo "console $2 maintenance=$([ -e "$ORO_MAINTENANCE_LOCK_FILE_PATH" ] && echo on || echo off)" >> ${root}/calls`,
      `if [ "$2" = oro:platform:update ]; then`,
      `  if [ -e ${root}/fail-update ]; then echo "migration failed" >&2; exit 3; fi`,
      `  ${psql} -c "ALTER TABLE oro_product ADD COLUMN IF NOT EXISTS new_in_617 INT"`,
      'fi',
      `if [ "$2" = oro:oauth-server:generate-keys ]; then echo k > "$ORO_OAUTH_PRIVATE_KEY_PATH"; echo k > "$ORO_OAUTH_PUBLIC_KEY_PATH"; fi`,
    ].join('\n'),
  );
  stub('sleep', 'exit 0');
});

const DB_ENV = () => ({
  ...pg.env,
  ORO_DB_HOST: '127.0.0.1', ORO_DB_PORT: String(pg.port), ORO_DB_NAME: 'orodb', ORO_DB_USER: 'orodbuser', ORO_DB_PASSWORD: pg.env.PGPASSWORD,
});

type Step = 'backup' | 'maintenance-on' | 'update' | 'warm-up' | 'maintenance-off';
const STEPS: Step[] = ['backup', 'maintenance-on', 'update', 'warm-up', 'maintenance-off'];

function run(step: Step, tag: string, settings: Record<string, unknown> = {}) {
  const env = testEnvironment('prod', { oro: { image: { tag } }, 'init-jobs': { upgrade: settings } });
  const scripts: Record<Step, [string, string]> = {
    backup: ['sh', upgradeBackupScript(env).replace(`cd ${UPGRADE_BACKUP_DIR}`, `cd ${root}/backups`)],
    'maintenance-on': ['bash', maintenanceOnScript(env)],
    update: ['bash', setupScript(env).replaceAll('/var/www/oro', `${root}/oro`)],
    'warm-up': ['bash', warmupScript(env).replaceAll('/var/www/oro', `${root}/oro`)],
    'maintenance-off': ['bash', maintenanceOffScript(env)],
  };
  const [shell, script] = scripts[step];
  return spawnSync(shell, ['-c', script.replaceAll(SETUP_STATE_PATH, `${root}/state`)], {
    env: {
      PATH: `${root}/bin:${PG_CLIENT_BIN}:${process.env.PATH}`,
      ...DB_ENV(),
      ORO_ENV: 'prod',
      ORO_MAINTENANCE_LOCK_FILE_PATH: `${root}/maintenance/maintenance_lock`,
      ORO_OAUTH_PRIVATE_KEY_PATH: `${root}/data/oauth_private.key`,
      ORO_OAUTH_PUBLIC_KEY_PATH: `${root}/data/oauth_public.key`,
    },
    encoding: 'utf8',
  });
}

/** Runs the hooks in Argo CD's order, stopping at the first failure as Argo CD does. */
function upgrade(tag: string, settings: Record<string, unknown> = {}) {
  const log: string[] = [];
  for (const step of STEPS) {
    const r = run(step, tag, settings);
    log.push(`${step}: ${r.status}`);
    if (r.status !== 0) return { ok: false, failed: step, stderr: r.stderr, stdout: r.stdout, log };
  }
  return { ok: true, log, stderr: '', stdout: '' };
}

const lockOn = () => existsSync(path.join(root, 'maintenance/maintenance_lock'));
const calls = () => (existsSync(path.join(root, 'calls')) ? readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n') : []);
const backups = () => readdirSync(path.join(root, 'backups')).sort();
const marker = (name: string) => (existsSync(path.join(root, 'state', name)) ? readFileSync(path.join(root, 'state', name), 'utf8').trim() : undefined);

/** A database as 6.1.6 left it: Oro's queue table, a shop table with a row, and the release recorded. */
function installed616() {
  pg.sql(ORO_MESSAGE_QUEUE_DDL);
  pg.sql("CREATE TABLE oro_product (id SERIAL PRIMARY KEY, sku TEXT); INSERT INTO oro_product (sku) VALUES ('SKU-1');");
  writeFileSync(path.join(root, 'state/release'), '6.1.6\n');
  writeFileSync(path.join(root, 'state/started'), 'install\n');
  writeFileSync(path.join(root, 'state/completed'), 'install\n');
  for (const key of ['oauth_private.key', 'oauth_public.key']) writeFileSync(path.join(root, 'data', key), 'key\n');
}

describe('an image bump from 6.1.6 to 6.1.7', () => {
  it('backs up, turns maintenance on, migrates with maintenance on, warms the cache, turns maintenance off', () => {
    installed616();
    const result = upgrade('6.1.7');
    expect(result, result.stderr).toMatchObject({ ok: true });
    const dump = backups()[0] ?? '';
    expect(dump).toMatch(/^pre-upgrade-orodb-\d{8}T\d{6}Z-from-6\.1\.6-to-6\.1\.7\.dump$/);
    // The dump is the database before the migration, and reads back in full with the real pg_restore.
    const list = spawnSync(path.join(PG_CLIENT_BIN, 'pg_restore'), ['--list', path.join(root, 'backups', dump)], { encoding: 'utf8' });
    expect(list.stdout).toContain('TABLE public oro_product');
    const sql = spawnSync(path.join(PG_CLIENT_BIN, 'pg_restore'), ['--file=-', path.join(root, 'backups', dump)], { encoding: 'utf8' }).stdout;
    expect(sql).not.toContain('new_in_617');
    expect(sql).toContain('SKU-1');
    expect(calls()).toEqual(['console oro:platform:update maintenance=on', 'console cache:warmup maintenance=on']);
    expect(pg.sql("SELECT count(*) FROM information_schema.columns WHERE column_name = 'new_in_617'")).toBe('1');
    expect(lockOn()).toBe(false);
    expect(marker('release')).toBe('6.1.7');
    expect(marker('upgrading')).toBeUndefined();
  });

  it('stops at a failed update with the shop in maintenance and a message; a retry completes without a second backup', () => {
    installed616();
    writeFileSync(path.join(root, 'fail-update'), '');
    const failed = upgrade('6.1.7');
    expect(failed).toMatchObject({ ok: false, failed: 'update' });
    expect(failed.stderr).toContain('UPGRADE STOPPED at the platform update step. The shop stays in maintenance (503)');
    expect(failed.stderr).toContain('Roll back: restore the pre-upgrade backup');
    expect(lockOn()).toBe(true);
    expect(marker('release')).toBe('6.1.6');
    expect(marker('upgrading')).toMatch(/^from 6\.1\.6 to 6\.1\.7, maintenance on since /);

    rmSync(path.join(root, 'fail-update'));
    const retry = upgrade('6.1.7');
    expect(retry, retry.stderr).toMatchObject({ ok: true });
    expect(backups()).toHaveLength(1);
    expect(lockOn()).toBe(false);
    expect(marker('release')).toBe('6.1.7');
  });

  it('waits for consumers holding messages, and past the drain timeout fails naming them, maintenance still on', () => {
    installed616();
    pg.sql("INSERT INTO oro_message_queue (body, queue, priority, consumer_id) VALUES ('{}', 'oro.default', 2, 'consumer-a1')");
    pg.sql("INSERT INTO oro_message_queue (body, queue, priority) VALUES ('{}', 'oro.default', 2)");
    const stuck = upgrade('6.1.7', { drainTimeoutSeconds: 0 });
    expect(stuck).toMatchObject({ ok: false, failed: 'maintenance-on' });
    expect(stuck.stderr).toContain('these consumers still hold messages: consumer-a1.');
    expect(stuck.stderr).toContain("UPDATE oro_message_queue SET consumer_id = NULL, redelivered = true WHERE consumer_id IN ('consumer-a1');");
    expect(lockOn()).toBe(true);
    expect(calls()).toEqual([]);

    // The operator's fix from the message, run as printed, then the sync again.
    pg.sql("UPDATE oro_message_queue SET consumer_id = NULL, redelivered = true WHERE consumer_id IN ('consumer-a1');");
    expect(upgrade('6.1.7', { drainTimeoutSeconds: 0 })).toMatchObject({ ok: true });
    expect(lockOn()).toBe(false);
  });

  it('keeps the configured number of pre-upgrade dumps', () => {
    installed616();
    for (const [i, tag] of ['6.1.7', '6.1.8', '6.1.9'].entries()) {
      expect(upgrade(tag, { keepBackups: 2 }), `upgrade ${i}`).toMatchObject({ ok: true });
    }
    expect(backups().map((f) => f.replace(/\d{8}T\d{6}Z/, 'STAMP'))).toEqual([
      'pre-upgrade-orodb-STAMP-from-6.1.7-to-6.1.8.dump',
      'pre-upgrade-orodb-STAMP-from-6.1.8-to-6.1.9.dump',
    ]);
  });
});

describe('a sync without an image change, and a first install', () => {
  it('skips every upgrade step when the database is already at the release', () => {
    installed616();
    const result = upgrade('6.1.6');
    expect(result).toMatchObject({ ok: true });
    expect(backups()).toEqual([]);
    expect(calls()).toEqual([]);
    expect(lockOn()).toBe(false);
  });

  it('leaves a maintenance lock set by a person alone', () => {
    installed616();
    writeFileSync(path.join(root, 'maintenance/maintenance_lock'), '');
    expect(upgrade('6.1.6')).toMatchObject({ ok: true });
    expect(lockOn()).toBe(true);
  });

  it('on an empty database skips backup, maintenance and warm-up, and installs', () => {
    writeFileSync(path.join(root, 'bin/docker-entrypoint.sh'), '#!/bin/bash\necho "entrypoint $1" >> ' + root + '/calls\n');
    chmodSync(path.join(root, 'bin/docker-entrypoint.sh'), 0o755);
    const env = testEnvironment('prod', { oro: { image: { tag: '6.1.6' } } });
    const backup = run('backup', '6.1.6');
    expect(backup.stdout).toContain('first install (no release recorded, empty database): nothing to back up');
    expect(run('maintenance-on', '6.1.6').stdout).toContain('maintenance on: first install, nothing serves yet: skipped');
    expect(lockOn()).toBe(false);
    const install = spawnSync('bash', ['-c', setupScript(env).replaceAll(SETUP_STATE_PATH, `${root}/state`).replaceAll('/usr/local/bin/docker-entrypoint.sh', `${root}/bin/docker-entrypoint.sh`).replaceAll('/var/www/oro', `${root}/oro`)], {
      env: { PATH: `${root}/bin:${PG_CLIENT_BIN}:${process.env.PATH}`, ...DB_ENV(), ORO_ENV: 'prod', ORO_MAINTENANCE_LOCK_FILE_PATH: `${root}/maintenance/maintenance_lock`, ORO_OAUTH_PRIVATE_KEY_PATH: `${root}/data/k`, ORO_OAUTH_PUBLIC_KEY_PATH: `${root}/data/p` },
      encoding: 'utf8',
    });
    expect(install.status, install.stderr).toBe(0);
    expect(run('warm-up', '6.1.6').stdout).toContain('cache warm-up: no upgrade under way: skipped');
    expect(run('maintenance-off', '6.1.6').status).toBe(0);
    expect(calls()[0]).toBe('entrypoint install');
    expect(backups()).toEqual([]);
  });
});
