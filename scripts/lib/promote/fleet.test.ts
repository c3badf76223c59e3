// Promotion across a fleet: targets by glob and profile, in order, one commit per batch, a 500-environment fixture.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetFiles, fleetNames } from '../environment/fleet-fixture.ts';
import { loadFleet } from '../environment/load.ts';
import { promote, PromotionError } from './run.ts';
import { batches, globToRegExp, selectTargets } from './targets.ts';

let root: string;
const git = () => $({ cwd: root, quiet: true, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
const STAGING = 'extends: profiles/shop\ndomain: staging.shops.example.com\noro:\n  image:\n    tag: 6.1.7\n  initImage:\n    tag: 6.1.7\n';
const rendered: string[][] = [];
/** The render is tested on its own; here it records which environments each batch re-rendered. */
const render = async (_: string, envs: readonly string[]) => {
  rendered.push([...envs]);
  return { ok: true, output: `rendered ${envs.length}` };
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'promote-fleet-'));
  const files = fleetFiles(500);
  files.set('environments/staging.yaml', STAGING);
  files.set('environments/profiles/eu.yaml', 'extends: profiles/shop\n');
  files.set('environments/shop-001.yaml', files.get('environments/shop-001.yaml')!.replace('profiles/shop', 'profiles/eu'));
  for (const [f, t] of files) {
    await mkdir(path.dirname(path.join(root, f)), { recursive: true });
    await writeFile(path.join(root, f), t);
  }
  process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = 'test';
  process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = 'test@example.com';
  await git()`git init -q -b main`;
  await git()`git add -A`;
  await git()`git commit -q -m fleet`;
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('selectTargets', () => {
  it('resolves names, globs and profiles in the order given, never the source, and reports empty patterns', async () => {
    const fleet = await loadFleet(root, ['shop-001', 'shop-002', 'shop-010', 'shop-100', 'staging']);
    expect(selectTargets(['shop-010', 'shop-0*'], fleet, 'staging')).toEqual({ targets: ['shop-010', 'shop-001', 'shop-002'], empty: [] });
    expect(selectTargets(['profiles/eu'], fleet, 'staging').targets).toEqual(['shop-001']);
    expect(selectTargets(['profiles/shop'], fleet, 'staging').targets).toEqual(['shop-001', 'shop-002', 'shop-010', 'shop-100']);
    expect(selectTargets(['staging', 'prod-*'], fleet, 'staging')).toEqual({ targets: [], empty: ['staging', 'prod-*'] });
    expect(globToRegExp('shop-?0*').test('shop-100')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('promote across a 500-environment fleet', () => {
  it('refuses a target set without any environment', async () => {
    await expect(promote({ root, from: 'staging', to: ['prod-*'], render })).rejects.toThrow(new PromotionError('--to "prod-*" matches no environment other than staging; known environments: ' + [...fleetNames(500), 'staging'].sort().join(', ')));
    await expect(promote({ root, from: 'staging', to: ['staging'], render })).rejects.toThrow('--from and --to are both staging');
    await expect(promote({ root, from: 'staging', to: ['profiles/us'], render })).rejects.toThrow(/matches no environment other than staging; known environments: .*; known profiles: profiles\/base, profiles\/eu, profiles\/shop$/);
  });

  it('writes every target, one commit per batch, the canary first', async () => {
    const result = await promote({ root, from: 'staging', to: ['shop-250', 'shop-*'], batch: 100, render });
    expect(result.batches.map((b) => b.targets.length)).toEqual([100, 100, 100, 100, 100]);
    expect(rendered[0]![0]).toBe('shop-250');
    expect(rendered.flat()).toHaveLength(500);
    const log = (await git()`git log --format=%s`).stdout.trim().split('\n');
    expect(log).toHaveLength(6);
    expect(log[4]).toBe('promote staging → shop-250 … shop-099 (100 environments) (batch 1/5)');
    const files = (await git()`git show --name-only --format= HEAD`).stdout.trim().split('\n');
    expect(files).toHaveLength(100);
    expect(await readFile(path.join(root, 'environments/shop-500.yaml'), 'utf8')).toContain('oro:\n  image:\n    tag: 6.1.7\n  initImage:\n    tag: 6.1.7\n');
    expect((await git()`git status --porcelain`).stdout).toBe('');
  });

  it('promotes nothing twice', async () => {
    await expect(promote({ root, from: 'staging', to: ['profiles/shop'], render })).rejects.toThrow('all 500 targets already run what staging runs: nothing to promote');
  });
});
