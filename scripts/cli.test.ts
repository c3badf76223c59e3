// The CLIs as users run them (node scripts/run.mjs …) on a copy of this repository whose node_modules is a symlink.
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './lib/cli.ts';
import { acquireLock, STAGING_DIR } from './lib/lock.ts';

let repo: string;

function run(args: string[], options: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, ['scripts/run.mjs', ...args], { cwd: options.cwd ?? repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function start(args: string[]) {
  const child = spawn(process.execPath, ['scripts/run.mjs', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

beforeAll(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), 'cli-test-'));
  for (const entry of ['apps', 'scripts', 'environments', 'rendered', 'kustomization.yaml', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(repo, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}.render-staging`) });
  }
  // A CI cache layout: node_modules is a symlink into a cache folder elsewhere.
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
});
afterAll(async () => rm(repo, { recursive: true, force: true }));

describe('scripts through a symlinked node_modules', () => {
  it('render --check compares the whole tree and passes, then fails on drift; render writes', async () => {
    const clean = run(['render', '--check']);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^render --check: rendered\/ is up to date \(2\d\d files compared; dev, prod, staging\)$/m);
    const file = path.join(repo, 'rendered/dev/web/deployment-webserver.yaml');
    const before = await readFile(file, 'utf8');
    await writeFile(file, `${before}# hand edit\n`);
    const drift = run(['render', '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('changed  rendered/dev/web/deployment-webserver.yaml');
    const render = run(['render']);
    expect(render.code, render.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(before);
    const validate = run(['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/no findings \(\d+ documents, 3 environments\)/);
  });
});

describe('one render at a time', () => {
  it('a second render waits while the lock is held, says so, and completes after', async () => {
    const lock = await acquireLock(repo, { waitMs: 0 });
    const second = start(['render']);
    for (let i = 0; i < 100 && !second.stderr().includes('waiting for'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(second.stderr()).toMatch(/^render: waiting for .* \(pid \d+\) to finish with /m);
    expect(second.child.exitCode).toBe(null);
    await lock.release();
    const result = await second.done;
    expect(result.code, result.stderr).toBe(0);
  });

  it('two renders started together both end with a complete tree and leave no staging behind', async () => {
    await writeFile(path.join(repo, 'environments/dev.yaml'), (await readFile(path.join(repo, 'environments/dev.yaml'), 'utf8')).replace(/\n*$/, '\n# touched\n'));
    const [a, b] = await Promise.all([start(['render']).done, start(['render']).done]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(run(['render', '--check']).code).toBe(0);
    expect((await readdir(path.join(repo, STAGING_DIR))).filter((n) => n !== 'lock' && n !== 'cache')).toEqual([]);
  });
});

describe('errors and exits', () => {
  it('--env with an empty name is a usage error, not "every environment"', () => {
    const r = run(['render', '--env', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--env needs an environment name/);
  });

  it('a broken environment file does not block --env of another one, and says what was left alone', async () => {
    const file = path.join(repo, 'environments/staging.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, `${good}\nweb: [unclosed\n`);
    try {
      const r = run(['render', '--env', 'prod']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^render: not updated: kustomization\.yaml, rendered\/argocd and rendered\/README\.md .*environments\/staging\.yaml does not load\)$/m);
      expect(run(['render']).code).toBe(1);
    } finally {
      await writeFile(file, good);
    }
  });

  it('a file-system error is one line with the path, what failed and that rendered/ is unchanged (exit 4)', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'cli-out-'));
    try {
      // A file where the staging folder must go: every write fails before rendered/ is touched.
      await writeFile(path.join(out, STAGING_DIR), 'in the way\n');
      const r = run(['render', '--out', out]);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`^${out}/\\.render-staging/lock-\\d+-[0-9a-f]+: mkdir failed: a path component is not a folder \\(ENOTDIR\\); rendered/ was left unchanged\\n$`));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('every script prints its usage for -h and --help and does nothing else', async () => {
    const schema = path.join(repo, 'environments/schema.json');
    const before = (await stat(schema)).mtimeMs;
    for (const script of ['render', 'validate', 'diff', 'promote', 'schema', 'bench']) {
      for (const flag of ['-h', '--help']) {
        const r = run([script, flag]);
        expect(r.code, `${script} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout, `${script} ${flag}`).toMatch(/^usage: /);
      }
    }
    expect((await stat(schema)).mtimeMs).toBe(before);
  }, 180_000);

  it('a reader that closes the pipe early ends the run quietly with the SIGPIPE code', async () => {
    // Enough drift that the report is far larger than a pipe's buffer: every committed file emptied.
    const files = (await readdir(path.join(repo, 'rendered/prod'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    const saved = await Promise.all(files.map((f) => readFile(f)));
    await Promise.all(files.map((f) => writeFile(f, '')));
    try {
      const child = spawn(process.execPath, ['scripts/run.mjs', 'render', '--check'], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.destroy(); // like `| head -c0`: the reader is gone before the report is written
      const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
      expect(code).toBe(141);
    } finally {
      await Promise.all(files.map((f, i) => writeFile(f, saved[i]!)));
    }
  });
});
