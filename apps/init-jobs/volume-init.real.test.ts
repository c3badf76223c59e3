// volume-init's rendered Job run for real (bash, coreutils, rsync) on a sandbox: releases copied once, pruned safely, www-data checked.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentFile } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { volumeInitJob } from './volume-init.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

beforeAll(() => requirePrograms('bash', 'rsync', 'find', 'mv', 'chown', 'id'));

/** As root (CI), the real numbers; otherwise the test's own, which chown accepts without privileges. */
const owner = process.getuid?.() === 0 ? { uid: 2002, gid: 2001 } : { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 };

/** The image's /var/www/oro (code, a cache built with the image, media) and the five volumes, in a temporary folder. */
function sandbox(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'volume-init-'));
  dirs.push(root);
  for (const d of ['image/src', 'image/var/cache/prod', 'image/var/logs', 'image/var/data', 'image/public/media/cached']) mkdirSync(path.join(root, d), { recursive: true });
  for (const v of ['oro-app', 'cache', 'public-storage', 'private-storage', 'maintenance']) mkdirSync(path.join(root, 'mnt', v), { recursive: true });
  writeFileSync(path.join(root, 'image/src/Kernel.php'), '<?php');
  writeFileSync(path.join(root, 'image/var/cache/prod/stale'), 'built with the image');
  writeFileSync(path.join(root, 'image/public/media/cached/logo.png'), 'image media');
  return root;
}

/** `from` replaced by `to` in `text`, failing when it does not occur: a path the sandbox misses would touch the host. */
function substitute(text: string, from: string, to: string): string {
  const count = text.split(from).length - 1;
  expect(count, `${from} occurs in the script`).toBeGreaterThan(0);
  const out = text.replaceAll(from, to);
  expect(out.split(to).length - 1, `every ${from} became ${to}`).toBe(count);
  return out;
}

function envWith(image: { tag: string; digest?: string }, initJobs: EnvironmentFile['init-jobs'] = {}) {
  return testEnvironment('prod', { oro: { image, ...owner }, 'init-jobs': initJobs });
}

/** Runs the rendered Job's container script with the image's and the volumes' paths moved into the sandbox. */
function deploy(root: string, image: { tag: string; digest?: string }, initJobs: EnvironmentFile['init-jobs'] = {}) {
  const job = volumeInitJob(envWith(image, initJobs));
  const command = job.spec?.template.spec?.containers[0]?.command ?? [];
  expect(command.slice(0, 2)).toEqual(['bash', '-c']);
  const script = substitute(substitute(command[2] ?? '', '/mnt/', `${root}/mnt/`), '/var/www/oro/', `${root}/image/`);
  const outside = script.replaceAll(`${root}/mnt/`, '').replaceAll(`${root}/image/`, '');
  expect(outside, 'no path outside the sandbox').not.toMatch(/\/var\/www\/oro|\/mnt\//);
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

/** What the install/restore job writes as its last step, only on success (apps/init-jobs/setup.ts, `mark release`). */
function setupCompleted(root: string, release: string): void {
  writeFileSync(path.join(root, 'mnt/oro-app/setup/release'), `${release}\n`);
}

const ls = (dir: string) => readdirSync(dir).sort();
const releases = (root: string) => ls(path.join(root, 'mnt/oro-app/releases'));

describe('volume-init, run for real', () => {
  it('copies the image into releases/<tag>/ with its marker and an empty cache beside it, leaving no temporary copy', () => {
    const root = sandbox();
    deploy(root, { tag: '6.1.6' });
    const release = path.join(root, 'mnt/oro-app/releases/6.1.6');
    expect(readFileSync(path.join(release, 'src/Kernel.php'), 'utf8')).toBe('<?php');
    expect(readFileSync(path.join(release, '.oro-release'), 'utf8')).toBe('oroinc/orocommerce-application:6.1.6\n');
    expect(releases(root)).toEqual(['6.1.6']);
    expect(ls(path.join(release, 'var/cache'))).toEqual([]);
    expect(ls(path.join(release, 'public/media'))).toEqual([]);
    expect(ls(path.join(root, 'mnt/cache'))).toEqual(['6.1.6']);
    expect(ls(path.join(root, 'mnt/oro-app'))).toEqual(['releases', 'sessions', 'setup']);
  });

  it("hands www-data the release's var/, its cache, sessions, setup and the data roots; the code stays the image's", () => {
    const root = sandbox();
    deploy(root, { tag: '6.1.6' });
    const m = path.join(root, 'mnt');
    for (const p of ['oro-app/releases/6.1.6/var', 'oro-app/releases/6.1.6/var/logs', 'cache/6.1.6', 'oro-app/sessions', 'oro-app/setup', 'public-storage', 'private-storage', 'maintenance']) {
      const st = statSync(path.join(m, p));
      expect([st.uid, st.gid], p).toEqual([owner.uid, owner.gid]);
    }
    const code = statSync(path.join(m, 'oro-app/releases/6.1.6/src/Kernel.php'));
    expect(code.uid).toBe(statSync(path.join(root, 'image/src/Kernel.php')).uid);
  });

  it('never copies a release twice, so the code under running pods never changes', () => {
    const root = sandbox();
    deploy(root, { tag: '6.1.6' });
    writeFileSync(path.join(root, 'mnt/oro-app/releases/6.1.6/var/logs/served'), 'a running pod wrote this');
    writeFileSync(path.join(root, 'image/src/Kernel.php'), '<?php // changed');
    expect(deploy(root, { tag: '6.1.6' })).toContain('Release 6.1.6 is already on the volume');
    expect(existsSync(path.join(root, 'mnt/oro-app/releases/6.1.6/var/logs/served'))).toBe(true);
    expect(readFileSync(path.join(root, 'mnt/oro-app/releases/6.1.6/src/Kernel.php'), 'utf8')).toBe('<?php');
  });

  it('replaces a release folder without its marker and a half-done temporary copy instead of trusting them', () => {
    const root = sandbox();
    mkdirSync(path.join(root, 'mnt/oro-app/releases/6.1.6'), { recursive: true });
    mkdirSync(path.join(root, 'mnt/oro-app/releases/.tmp-6.1.6/src'), { recursive: true });
    writeFileSync(path.join(root, 'mnt/oro-app/releases/.tmp-6.1.6/src/half'), '');
    deploy(root, { tag: '6.1.6' });
    expect(releases(root)).toEqual(['6.1.6']);
    expect(ls(path.join(root, 'mnt/oro-app/releases/6.1.6/src'))).toEqual(['Kernel.php']);
  });

  it('gives a new digest of the same tag a release of its own', () => {
    const root = sandbox();
    deploy(root, { tag: '6.1.6' });
    deploy(root, { tag: '6.1.6', digest: `sha256:${'0'.repeat(64)}` });
    expect(releases(root)).toEqual(['6.1.6', `6.1.6-sha256-${'0'.repeat(64)}`]);
  });
});

describe('volume-init pruning, run for real', () => {
  it('keeps the current and the previous release with their caches once their setups completed, and prunes older ones', () => {
    const root = sandbox();
    for (const tag of ['6.1.5', '6.1.6']) {
      deploy(root, { tag });
      setupCompleted(root, tag);
    }
    writeFileSync(path.join(root, 'mnt/cache/6.1.6/warm'), '');
    expect(deploy(root, { tag: '6.1.7' })).toContain('Pruning release 6.1.5 and its cache');
    expect(releases(root)).toEqual(['6.1.6', '6.1.7']);
    expect(ls(path.join(root, 'mnt/cache'))).toEqual(['6.1.6', '6.1.7']);
    expect(ls(path.join(root, 'mnt/cache/6.1.6'))).toEqual(['warm']);
  });

  it('never prunes the release still serving after a failed upgrade: 6.1.9 serving, 6.2.0 failing, then 6.2.1', () => {
    const root = sandbox();
    deploy(root, { tag: '6.1.9' });
    setupCompleted(root, '6.1.9');
    deploy(root, { tag: '6.2.0' }); // its install fails: setup/release still names 6.1.9, whose pods keep serving
    const fix = deploy(root, { tag: '6.2.1' });
    expect(fix).not.toContain('Pruning');
    expect(fix).toContain('Keeping release 6.1.9: 6.1.9, the newest release whose setup completed, serves until a newer one completes');
    expect(releases(root)).toEqual(['6.1.9', '6.2.0', '6.2.1']);
    expect(ls(path.join(root, 'mnt/cache'))).toEqual(['6.1.9', '6.2.0', '6.2.1']);
    // Once 6.2.1's setup completed, the next release prunes what is older than the two newest.
    setupCompleted(root, '6.2.1');
    const next = deploy(root, { tag: '6.2.2' });
    expect(next).toContain('Pruning release 6.2.0 and its cache');
    expect(next).toContain('Pruning release 6.1.9 and its cache');
    expect(releases(root)).toEqual(['6.2.1', '6.2.2']);
  });

  it('prunes nothing while no setup has ever completed', () => {
    const root = sandbox();
    for (const tag of ['6.1.5', '6.1.6', '6.1.7']) deploy(root, { tag });
    expect(releases(root)).toEqual(['6.1.5', '6.1.6', '6.1.7']);
  });

  it('honours a rollback, and keeps init-jobs.keepReleases releases and the current one whatever the clocks say', () => {
    const root = sandbox();
    for (const tag of ['6.1.5', '6.1.6', '6.1.7']) {
      deploy(root, { tag }, { keepReleases: 3 });
      setupCompleted(root, tag);
    }
    const rollback = deploy(root, { tag: '6.1.6' }, { keepReleases: 3 });
    expect(rollback).not.toContain('Pruning');
    const future = new Date(Date.now() + 86_400_000);
    for (const tag of ['6.1.6', '6.1.7']) utimesSync(path.join(root, 'mnt/oro-app/releases', tag), future, future);
    deploy(root, { tag: '6.1.5' }, { keepReleases: 2 });
    expect(releases(root)).toEqual(['6.1.5', '6.1.6', '6.1.7']);
  });

  it('protects nothing extra when setup/release names a release no longer on the volume', () => {
    const root = sandbox();
    for (const tag of ['6.1.5', '6.1.6']) deploy(root, { tag });
    setupCompleted(root, '6.0.0');
    expect(deploy(root, { tag: '6.1.7' })).toContain('Pruning release 6.1.5 and its cache');
    expect(releases(root)).toEqual(['6.1.6', '6.1.7']);
  });
});

/** www-data's numbers on this machine, which stands in for the image: the same `id` reads the same /etc/passwd. */
function hostWwwData(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('www-data:'));
  if (!line) throw new Error('this machine has no www-data user (Debian has it in base-passwd)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function runChecks(oro: { uid: number; gid: number }) {
  const env = testEnvironment('prod', { oro });
  const checks = volumeInitJob(env).spec?.template.spec?.initContainers ?? [];
  return checks.map((c) => {
    expect(c.command?.slice(0, 2)).toEqual(['bash', '-c']);
    return { name: c.name, image: c.image, ...spawnSync('bash', ['-c', c.command?.[2] ?? ''], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  });
}

describe("volume-init's www-data check, run for real", () => {
  it('runs once per image the pods use, and fails with one line naming the real numbers and the settings to change', () => {
    const real = hostWwwData();
    const wrong = { uid: real.uid + 1, gid: real.gid + 1 };
    const runs = runChecks(wrong);
    expect(runs.map((r) => r.name)).toEqual(['www-data-in-runtime', 'www-data-in-application']);
    for (const run of runs) {
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `ERROR: www-data is uid ${real.uid}, gid ${real.gid} in ${run.image}, but oro.uid is ${wrong.uid} and oro.gid is ${wrong.gid}: ` +
          `set oro.uid: ${real.uid} and oro.gid: ${real.gid} in environments/prod.yaml\n`,
      );
    }
  });

  it('passes when the settings match the image', () => {
    for (const run of runChecks(hostWwwData())) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });
});
