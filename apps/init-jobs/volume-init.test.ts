// volume-init's script run for real on temporary folders: one immutable release per image, copied once, pruned to the newest N (M2).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnvironmentFile } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { volumeInitScript } from './volume-init.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * A fake image (its /var/www/oro) and the five volumes, with stubs on PATH: rsync copies with cp and then empties
 * the excluded folders (the patterns are asserted on the script separately); chown only records its arguments.
 */
function workspace() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'volume-init-'));
  dirs.push(root);
  const bin = path.join(root, 'bin');
  for (const d of ['image/src', 'image/var/cache/prod', 'image/var/logs', 'image/public/media', 'bin']) mkdirSync(path.join(root, d), { recursive: true });
  for (const v of ['oro-app', 'cache', 'public-storage', 'private-storage', 'maintenance']) mkdirSync(path.join(root, 'mnt', v), { recursive: true });
  writeFileSync(path.join(root, 'image/src/Kernel.php'), '<?php');
  writeFileSync(path.join(root, 'image/var/cache/prod/stale'), 'built with the image');
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  stub(
    'rsync',
    [
      `echo "rsync $*" >> ${root}/calls`,
      'args=("$@"); src=${args[-2]}; dst=${args[-1]}',
      'mkdir -p "$dst" && cp -a "$src". "$dst"',
      'for a in "$@"; do case "$a" in --exclude=*) d=${a#--exclude=}; d=${d%/\\*}; find "$dst$d" -mindepth 1 -delete 2>/dev/null || true;; esac; done',
    ].join('\n'),
  );
  stub('chown', `echo "chown $*" >> ${root}/calls`);
  return root;
}

function deploy(root: string, image: { tag: string; digest?: string }, initJobs: EnvironmentFile['init-jobs'] = {}) {
  const env = testEnvironment('prod', { oro: { image }, 'init-jobs': initJobs });
  const script = volumeInitScript(env).replaceAll('/mnt/', `${root}/mnt/`).replaceAll('/var/www/oro/', `${root}/image/`);
  writeFileSync(path.join(root, 'calls'), '');
  const result = spawnSync('bash', ['-c', script], { env: { PATH: `${root}/bin:${process.env.PATH}` }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return { stdout: result.stdout, calls: readFileSync(path.join(root, 'calls'), 'utf8').trim().split('\n').filter(Boolean) };
}

const ls = (dir: string) => readdirSync(dir).sort();

describe('volume-init, run', () => {
  it('copies the image into releases/<tag>/ with its marker, and an empty cache folder beside, leaving no temporary copy', () => {
    const root = workspace();
    const { calls } = deploy(root, { tag: '6.1.6' });
    const release = path.join(root, 'mnt/oro-app/releases/6.1.6');
    expect(readFileSync(path.join(release, 'src/Kernel.php'), 'utf8')).toBe('<?php');
    expect(readFileSync(path.join(release, '.oro-release'), 'utf8')).toBe('oroinc/orocommerce-application:6.1.6\n');
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.6']);
    expect(ls(path.join(release, 'var/cache'))).toEqual([]);
    expect(ls(path.join(root, 'mnt/cache'))).toEqual(['6.1.6']);
    expect(ls(path.join(root, 'mnt/cache/6.1.6'))).toEqual([]);
    expect(ls(path.join(root, 'mnt/oro-app'))).toEqual(['releases', 'sessions', 'setup']);
    expect(calls.filter((c) => c.startsWith('rsync'))).toEqual([`rsync -a --exclude=/var/cache/* --exclude=/var/data/* --exclude=/var/maintenance/* --exclude=/var/sessions/* --exclude=/public/media/* ${root}/image/ ${root}/mnt/oro-app/releases/.tmp-6.1.6/`]);
  });

  it("hands www-data only what it writes: the new release's var/, its cache, sessions, setup and the data roots", () => {
    const root = workspace();
    const chowns = deploy(root, { tag: '6.1.6' }).calls.filter((c) => c.startsWith('chown'));
    const m = `${root}/mnt`;
    expect(chowns).toEqual([
      `chown -R 33:33 ${m}/oro-app/releases/.tmp-6.1.6/var`,
      `chown 33:33 ${m}/cache/6.1.6 ${m}/oro-app/sessions ${m}/oro-app/setup ${m}/public-storage ${m}/private-storage ${m}/maintenance`,
    ]);
  });

  it('never copies a release twice, so the code under running pods never changes', () => {
    const root = workspace();
    deploy(root, { tag: '6.1.6' });
    writeFileSync(path.join(root, 'mnt/oro-app/releases/6.1.6/var/logs/served'), 'a running pod wrote this');
    const again = deploy(root, { tag: '6.1.6' });
    expect(again.stdout).toContain('Release 6.1.6 is already on the volume');
    expect(again.calls.filter((c) => c.startsWith('rsync'))).toEqual([]);
    expect(existsSync(path.join(root, 'mnt/oro-app/releases/6.1.6/var/logs/served'))).toBe(true);
  });

  it('replaces a release folder without its marker and a half-done temporary copy instead of trusting them', () => {
    const root = workspace();
    mkdirSync(path.join(root, 'mnt/oro-app/releases/6.1.6'), { recursive: true });
    mkdirSync(path.join(root, 'mnt/oro-app/releases/.tmp-6.1.6/src'), { recursive: true });
    writeFileSync(path.join(root, 'mnt/oro-app/releases/.tmp-6.1.6/src/half'), '');
    deploy(root, { tag: '6.1.6' });
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.6']);
    expect(ls(path.join(root, 'mnt/oro-app/releases/6.1.6/src'))).toEqual(['Kernel.php']);
    expect(existsSync(path.join(root, 'mnt/oro-app/releases/6.1.6/.oro-release'))).toBe(true);
  });

  it('gives a new digest of the same tag a release of its own', () => {
    const root = workspace();
    deploy(root, { tag: '6.1.6' });
    deploy(root, { tag: '6.1.6', digest: `sha256:${'0'.repeat(64)}` });
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.6', `6.1.6-sha256-${'0'.repeat(64)}`]);
  });

  it('keeps the current and the previous release with their caches, prunes older ones, and honours a rollback', () => {
    const root = workspace();
    for (const tag of ['6.1.5', '6.1.6']) deploy(root, { tag });
    writeFileSync(path.join(root, 'mnt/cache/6.1.6/warm'), '');
    const third = deploy(root, { tag: '6.1.7' });
    expect(third.stdout).toContain('Pruning release 6.1.5 and its cache');
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.6', '6.1.7']);
    expect(ls(path.join(root, 'mnt/cache'))).toEqual(['6.1.6', '6.1.7']);
    expect(ls(path.join(root, 'mnt/cache/6.1.6'))).toEqual(['warm']);
    const rollback = deploy(root, { tag: '6.1.6' });
    expect(rollback.stdout).not.toContain('Pruning');
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.6', '6.1.7']);
  });

  it('keeps init-jobs.keepReleases releases, and never the current one, whatever the clocks say', () => {
    const root = workspace();
    for (const tag of ['6.1.5', '6.1.6', '6.1.7']) deploy(root, { tag }, { keepReleases: 3 });
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.5', '6.1.6', '6.1.7']);
    const future = new Date(Date.now() + 86_400_000);
    for (const tag of ['6.1.6', '6.1.7']) utimesSync(path.join(root, 'mnt/oro-app/releases', tag), future, future);
    deploy(root, { tag: '6.1.5' }, { keepReleases: 2 });
    expect(ls(path.join(root, 'mnt/oro-app/releases'))).toEqual(['6.1.5', '6.1.6', '6.1.7']);
  });
});

describe('volume-init settings', () => {
  it('refuses to keep fewer than two releases: the previous one still serves during a rollout', () => {
    expect(() => testEnvironment('prod', { 'init-jobs': { keepReleases: 1 } })).toThrow();
  });
});
