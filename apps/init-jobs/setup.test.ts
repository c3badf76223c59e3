// The install/restore script run for real against stub php and entrypoint: a setup that started but never completed is never migrated (M5).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { SETUP_STATE_PATH, setupScript } from './setup.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Mode = 'install' | 'restore';

/**
 * A database of `tables` tables, the setup/ folder and stubs on PATH. php answers the table count from a file and
 * logs console commands (generate-keys writes the keys). The entrypoint logs whether the `started` marker already
 * existed when it ran, then either fills the database or crashes half-way, leaving some tables behind.
 */
function workspace(tables: number) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'setup-'));
  dirs.push(root);
  for (const d of ['bin', 'state', 'oro/var/cache/prod', 'data']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'tables'), String(tables));
  // Maintenance is on, as the maintenance-on hook leaves it before the update (upgrade.ts).
  writeFileSync(path.join(root, 'maintenance_lock'), '');
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(root, 'bin', name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(root, 'bin', name), 0o755);
  };
  stub(
    'php',
    [
      `if [ "$1" = -d ]; then cat ${root}/tables; exit 0; fi`,
      `echo "console $2" >> ${root}/calls`,
      `if [ "$2" = oro:oauth-server:generate-keys ]; then echo key > "$ORO_OAUTH_PRIVATE_KEY_PATH"; echo pub > "$ORO_OAUTH_PUBLIC_KEY_PATH"; chmod 644 "$ORO_OAUTH_PRIVATE_KEY_PATH"; fi`,
    ].join('\n'),
  );
  stub(
    'entrypoint',
    [
      `echo "entrypoint $1 started-marker=$([ -e ${root}/state/started ] && echo yes || echo no)" >> ${root}/calls`,
      `if [ -e ${root}/crash ]; then echo 42 > ${root}/tables; exit 1; fi`,
      `echo 800 > ${root}/tables`,
    ].join('\n'),
  );
  return root;
}

function runSetup(root: string, mode: Mode, tag = '6.1.6') {
  const env = testEnvironment('prod', { 'init-jobs': { mode }, oro: { image: { tag } } });
  const script = setupScript(env)
    .replaceAll(SETUP_STATE_PATH, `${root}/state`)
    .replaceAll('/usr/local/bin/docker-entrypoint.sh', `${root}/bin/entrypoint`)
    .replaceAll('/var/www/oro', `${root}/oro`);
  writeFileSync(path.join(root, 'calls'), '');
  const result = spawnSync('bash', ['-c', script], {
    env: {
      PATH: `${root}/bin:${process.env.PATH}`,
      ORO_ENV: 'prod',
      ORO_MAINTENANCE_LOCK_FILE_PATH: `${root}/maintenance_lock`,
      ORO_OAUTH_PRIVATE_KEY_PATH: `${root}/data/oauth/oauth_private.key`,
      ORO_OAUTH_PUBLIC_KEY_PATH: `${root}/data/oauth/oauth_public.key`,
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const calls = readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n').filter(Boolean);
  return { ...result, calls };
}

const marker = (root: string, name: string) => (existsSync(path.join(root, 'state', name)) ? readFileSync(path.join(root, 'state', name), 'utf8').trim() : undefined);

describe.each<Mode>(['install', 'restore'])('%s', (mode) => {
  it('marks the setup started before running it and completed after, on an empty database', () => {
    const root = workspace(0);
    const run = runSetup(root, mode);
    expect(run.status).toBe(0);
    expect(run.calls[0]).toBe(`entrypoint ${mode} started-marker=yes`);
    expect(marker(root, 'started')).toMatch(new RegExp(`^${mode} of 6\\.1\\.6, started \\d{4}-`));
    expect(marker(root, 'completed')).toMatch(new RegExp(`^${mode} of 6\\.1\\.6, completed \\d{4}-`));
    expect(marker(root, 'release')).toBe('6.1.6');
    expect(run.calls).not.toContain('console oro:platform:update');
  });

  it('refuses to migrate a database whose setup started but never completed, and says what to do', () => {
    const root = workspace(0);
    writeFileSync(path.join(root, 'crash'), '');
    expect(runSetup(root, mode).status).not.toBe(0);
    expect(marker(root, 'started')).toBeDefined();
    expect(marker(root, 'completed')).toBeUndefined();
    rmSync(path.join(root, 'crash'));

    const retry = runSetup(root, mode);
    expect(retry.status).toBe(1);
    expect(retry.calls).toEqual([]);
    expect(retry.stderr).toContain(`ERROR: the database has 42 tables, but the setup that created them never completed: ${mode} of 6.1.6, started`);
    expect(retry.stderr).toContain(`kubectl -n orocommerce-prod exec -i database-orocommerce-0 -- psql -U orodbuser -d postgres`);
    expect(retry.stderr).toContain(`-c 'DROP DATABASE "orodb" WITH (FORCE)' -c 'CREATE DATABASE "orodb"'`);
    expect(retry.stderr).toContain('record it in setup/completed on pvc-oro-app');
    expect(retry.stderr).toContain('kubectl -n orocommerce-prod run oro-setup-completed --rm -i --restart=Never');
    expect(marker(root, 'release')).toBeUndefined();
  });

  it('starts over once the half-set-up database has been dropped', () => {
    const root = workspace(0);
    writeFileSync(path.join(root, 'crash'), '');
    runSetup(root, mode);
    rmSync(path.join(root, 'crash'));
    writeFileSync(path.join(root, 'tables'), '0');
    const run = runSetup(root, mode);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The database is empty after an unfinished setup');
    expect(run.calls[0]).toBe(`entrypoint ${mode} started-marker=yes`);
    expect(marker(root, 'completed')).toBeDefined();
  });

  it('accepts a setup marked completed by hand, as the message offers', () => {
    const root = workspace(0);
    writeFileSync(path.join(root, 'crash'), '');
    runSetup(root, mode);
    writeFileSync(path.join(root, 'state/completed'), `${mode} marked as completed by hand\n`);
    const run = runSetup(root, mode);
    expect(run.status).toBe(0);
    expect(run.calls).toContain('console oro:platform:update');
  });
});

describe('a set-up database', () => {
  it('is left alone for the release it was set up with', () => {
    const root = workspace(0);
    runSetup(root, 'install');
    const again = runSetup(root, 'install');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Already set up for 6.1.6');
    expect(again.calls).toEqual([]);
  });

  it("is migrated for a new release, on that release's own cache", () => {
    const root = workspace(0);
    runSetup(root, 'install');
    writeFileSync(path.join(root, 'oro/var/cache/prod/left-by-a-failed-attempt'), '');
    const upgrade = runSetup(root, 'install', '6.1.7');
    expect(upgrade.status).toBe(0);
    // The warm-up is the next hook's (upgrade.ts).
    expect(upgrade.calls).toEqual(['console oro:platform:update']);
    expect(existsSync(path.join(root, 'oro/var/cache/prod'))).toBe(false);
    expect(marker(root, 'release')).toBe('6.1.7');
  });

  it('is never migrated while maintenance is off, so the previous release never serves a half-migrated schema', () => {
    const root = workspace(0);
    runSetup(root, 'install');
    rmSync(path.join(root, 'maintenance_lock'));
    const upgrade = runSetup(root, 'install', '6.1.7');
    expect(upgrade.status).toBe(1);
    expect(upgrade.calls).toEqual([]);
    expect(upgrade.stderr).toContain('ERROR: maintenance is off');
    expect(marker(root, 'release')).toBe('6.1.6');
  });

  it('says where the upgrade stopped when the update fails, and keeps the outgoing release recorded', () => {
    const root = workspace(0);
    runSetup(root, 'install');
    writeFileSync(path.join(root, 'bin', 'php'), '#!/bin/bash\nif [ "$1" = -d ]; then echo 800; exit 0; fi\necho "console $2" >> ' + root + '/calls\nexit 3\n');
    const upgrade = runSetup(root, 'install', '6.1.7');
    expect(upgrade.status).toBe(3);
    expect(upgrade.stderr).toContain('UPGRADE STOPPED at the platform update step. The shop stays in maintenance (503)');
    expect(marker(root, 'release')).toBe('6.1.6');
  });

  it('set up before the markers existed is migrated, never reinstalled', () => {
    const root = workspace(800);
    const run = runSetup(root, 'install');
    expect(run.status).toBe(0);
    expect(run.calls[0]).toBe('console oro:platform:update');
    expect(run.calls.some((c) => c.startsWith('entrypoint'))).toBe(false);
  });
});

describe('the OAuth2 server keys', () => {
  it('are generated once on the private storage volume, the private key readable by www-data alone', () => {
    const root = workspace(0);
    const first = runSetup(root, 'install');
    expect(first.calls).toContain('console oro:oauth-server:generate-keys');
    expect(statSync(path.join(root, 'data/oauth/oauth_private.key')).mode & 0o777).toBe(0o600);
    expect(runSetup(root, 'install', '6.1.7').calls).not.toContain('console oro:oauth-server:generate-keys');
  });
});
