// The render cache skips only what it can prove current: every input change and every output change re-renders.
import { cp, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../render.ts';
import { REPO_ROOT } from './paths.ts';
import { listFiles } from './writer.ts';

const BUILD = Symbol.for('orocommerce-gitops.build');
let root: string;
let out: string[];

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = [...(await listFiles(dir, 'rendered')), 'kustomization.yaml'];
  return Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)));
}

async function render(build: string | undefined = 'build-1', args: string[] = []): Promise<string> {
  (globalThis as Record<symbol, unknown>)[BUILD] = build;
  out = [];
  const code = await main(args, root);
  expect(code, out.join('')).toBe(0);
  return out.join('');
}

/** The tree a render without any cache writes for the current inputs. */
async function uncached(): Promise<Record<string, string>> {
  const fresh = await mkdtemp(path.join(os.tmpdir(), 'render-cache-fresh-'));
  try {
    await cp(path.join(root, 'environments'), path.join(fresh, 'environments'), { recursive: true });
    (globalThis as Record<symbol, unknown>)[BUILD] = undefined;
    expect(await main([], fresh)).toBe(0);
    return await snapshot(fresh);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'render-cache-'));
  await cp(path.join(REPO_ROOT, 'environments'), path.join(root, 'environments'), { recursive: true });
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  (globalThis as Record<symbol, unknown>)[BUILD] = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('render cache', () => {
  it('skips unchanged environments and still writes exactly what a render without cache writes', async () => {
    await render();
    expect(await render()).toContain('(3 unchanged environments skipped)');
    expect(await snapshot(root)).toEqual(await uncached());
    expect(await render(undefined, ['--check'])).toMatch(/up to date/);
    expect(await render('build-1', ['--check'])).toContain('3 environment folders proven unchanged by the render cache');
  });

  it('re-renders an environment whose file changed, and only that one', async () => {
    await render();
    const file = path.join(root, 'environments/dev.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^domain: (.*)$/m, 'domain: changed.$1'));
    expect(await render()).toContain('(2 unchanged environments skipped)');
    expect(await snapshot(root)).toEqual(await uncached());
  });

  it('re-renders every environment that extends a profile when the profile changes', async () => {
    await render();
    const profile = path.join(root, 'environments/profiles/base.yaml');
    await writeFile(profile, (await readFile(profile, 'utf8')).replace(/repoURL: (\S+)\.git/, 'repoURL: $1-fork.git'));
    const output = await render();
    expect(output).not.toContain('unchanged environments skipped');
    expect(await snapshot(root)).toEqual(await uncached());
    expect((await snapshot(root))['rendered/prod/bootstrap/application-orocommerce-prod.yaml']).toContain('-fork.git');
  });

  it('re-renders everything when the build (any source, dependency or Node version) changed', async () => {
    await render();
    expect(await render('build-2')).not.toContain('skipped');
  });

  it('restores a hand edit of the same size whose mtime was set back', async () => {
    await render();
    const expected = await snapshot(root);
    const file = path.join(root, 'rendered/prod/web/service-webserver.yaml');
    const before = await stat(file);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('port:', 'pOrt:'));
    await utimes(file, before.atime, before.mtime);
    // The gate with the cache in place still sees it.
    (globalThis as Record<symbol, unknown>)[BUILD] = 'build-1';
    expect(await main(['--check'], root)).toBe(1);
    expect(await render()).toContain('(2 unchanged environments skipped)');
    expect(await snapshot(root)).toEqual(expected);
  });

  it('notices a deleted file and an extra file in an environment folder', async () => {
    await render();
    const expected = await snapshot(root);
    await rm(path.join(root, 'rendered/staging/web/service-webserver.yaml'));
    await writeFile(path.join(root, 'rendered/dev/web/extra.yaml'), 'kind: Stray\n');
    expect(await render()).toContain('(1 unchanged environment skipped)');
    expect(await snapshot(root)).toEqual(expected);
  });
});
