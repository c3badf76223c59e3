// The committed rendered/ is the golden output: a fresh render must match it byte for byte, anywhere, any time.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../apps/index.ts';
import { WAVES } from '../apps/waves.ts';
import { environmentJsonSchema, PROFILE_SCHEMA_FILE, profileJsonSchema, SCHEMA_FILE } from './gen-env-schema.ts';
import { REPO_ROOT } from './lib/cli.ts';
import { buildRender, findDrift } from './lib/render.ts';
import { listFiles } from './lib/writer.ts';
import { renderValidator as validator } from './lib/validate/index.ts';

const run = promisify(execFile);
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

async function treeHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const f of [...(await listFiles(root, 'rendered')), 'kustomization.yaml']) hash.update(f).update('\0').update(await readFile(path.join(root, f)));
  return hash.digest('hex');
}

/** Runs the real CLI the way a user does, with a chosen working directory and environment. */
async function renderWith(cwd: string, vars: Record<string, string>): Promise<string> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'golden-'));
  temps.push(out);
  await run(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [path.join(REPO_ROOT, 'scripts/render.ts'), '--out', out], { cwd, env: { ...process.env, ...vars } });
  return treeHash(out);
}

describe('rendered/ (golden output)', () => {
  it('is exactly what npm run render produces now', async () => {
    const result = await buildRender({ root: REPO_ROOT, components: COMPONENTS, only: [], validate: validator, secrets: requiredSecrets });
    const drift = await findDrift(REPO_ROOT, result);
    expect(drift.map((d) => `${d.change} ${d.file}`), 'run `npm run render` and commit the result').toEqual([]);
  });

  it('does not depend on the clock zone, the locale or the working directory', async () => {
    const [a, b] = await Promise.all([
      renderWith(REPO_ROOT, { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
      renderWith(os.tmpdir(), { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }),
    ]);
    expect(b).toBe(a);
    expect(a).toBe(await treeHash(REPO_ROOT));
  });

  it('has an environments/schema.json that matches the environment schema', async () => {
    expect(await readFile(path.join(REPO_ROOT, SCHEMA_FILE), 'utf8'), 'run `npm run schema`').toBe(environmentJsonSchema());
    expect(await readFile(path.join(REPO_ROOT, PROFILE_SCHEMA_FILE), 'utf8'), 'run `npm run schema`').toBe(profileJsonSchema());
  });
});

describe('component registry', () => {
  it('lists the components in install order with the fixed waves', () => {
    expect(COMPONENTS.map((c) => [c.name, c.wave])).toEqual([
      ['pvcs', 0], ['db', 1], ['init-jobs', 2], ['app', 3], ['websocket', 4], ['websocket-alias', 5], ['web', 6], ['monitoring', 7],
    ]);
    for (const c of COMPONENTS) expect(c.wave).toBe(WAVES[c.name]);
  });
});
