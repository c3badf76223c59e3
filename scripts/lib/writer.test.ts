// Fault injection on the writer: a real SIGKILL before every step of a write, then recovery; plus the lock against a killed holder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, LockBusy, STAGING_DIR } from './lock.ts';
import { listFiles, realFs, recover, writePlan, type WritePlan } from './writer.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let work: string;
let child: string;

/** A child process that runs one write and SIGKILLs itself before step `killAt` (or a lock holder that dies). */
const CHILD = `
import { writePlan } from ${JSON.stringify(path.join(here, 'writer.ts'))};
import { acquireLock } from ${JSON.stringify(path.join(here, 'lock.ts'))};
const [mode, root, killAt] = process.argv.slice(2);
if (mode === 'lock') {
  await acquireLock(root, { waitMs: 0 });
  process.kill(process.pid, 'SIGKILL');
}
const plan = ${'${PLAN}'};
await writePlan(root, { folders: new Map(plan.folders), files: plan.files, remove: plan.remove }, {
  beforeStep: (n) => { if (n === Number(killAt)) process.kill(process.pid, 'SIGKILL'); },
});
`;

const OLD: Record<string, string> = {
  'rendered/alpha/pvcs/a.yaml': 'old a\n',
  'rendered/alpha/apps/b.yaml': 'old b\n',
  'rendered/beta/pvcs/a.yaml': 'old beta\n',
  'rendered/gone/x.yaml': 'removed environment\n',
  'rendered/argocd/cm.yaml': 'old cm\n',
  'kustomization.yaml': 'old kustomization\n',
};

const PLAN = {
  folders: [
    ['rendered/alpha', [{ path: 'rendered/alpha/pvcs/a.yaml', content: 'new a\n' }, { path: 'rendered/alpha/pvcs/c.yaml', content: 'new c\n' }]],
    ['rendered/beta', [{ path: 'rendered/beta/pvcs/a.yaml', content: 'new beta\n' }]],
    ['rendered/gamma', [{ path: 'rendered/gamma/pvcs/a.yaml', content: 'new gamma\n' }]],
    ['rendered/argocd', [{ path: 'rendered/argocd/cm.yaml', content: 'new cm\n' }]],
  ] as [string, { path: string; content: string }[]][],
  files: [
    { path: 'kustomization.yaml', content: 'new kustomization\n' },
    { path: 'rendered/README.md', content: 'new readme\n' },
  ],
  remove: ['rendered/gone'],
};

const NEW: Record<string, string> = Object.fromEntries([...PLAN.folders.flatMap(([, files]) => files), ...PLAN.files].map((f) => [f.path, f.content]));

function plan(): WritePlan {
  return { folders: new Map(PLAN.folders), files: PLAN.files, remove: PLAN.remove };
}

async function seed(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
  for (const [file, content] of Object.entries(OLD)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

/** The whole visible tree (rendered/ and kustomization.yaml) as file → content. */
async function tree(root: string): Promise<Record<string, string>> {
  const files = [...(await listFiles(root, 'rendered')), 'kustomization.yaml'];
  const out: Record<string, string> = {};
  for (const f of files) {
    const content = await readFile(path.join(root, f), 'utf8').catch(() => undefined);
    if (content !== undefined) out[f] = content;
  }
  return out;
}

function digest(t: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(t).sort())).digest('hex');
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'writer-test-'));
  const entry = path.join(work, 'child.ts');
  await writeFile(entry, CHILD.replace('${PLAN}', JSON.stringify(PLAN)));
  child = path.join(work, 'child.mjs');
  await build({ entryPoints: [entry], outfile: child, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('writePlan killed at every step', () => {
  it('leaves a tree that the next recovery turns into exactly the old or exactly the new one', async () => {
    const root = path.join(work, 'root');
    const outcomes: string[] = [];
    for (let killAt = 0; killAt < 200; killAt++) {
      await seed(root);
      const run = spawnSync(process.execPath, [child, 'write', root, String(killAt)], { encoding: 'utf8' });
      if (run.signal === null) {
        // Past the last step: the write ran to its end.
        expect(run.status, run.stderr).toBe(0);
        expect(await tree(root)).toEqual(NEW);
        expect(killAt, 'the kill loop covered too few steps').toBeGreaterThan(15);
        break;
      }
      expect(run.signal).toBe('SIGKILL');
      const { message } = await recover(root);
      // Before the first step nothing exists to recover; after it, recovery must say what it did.
      if (killAt > 0) expect(message, `kill before step ${killAt}: recovery must say what it did`).toMatch(/^recovered: (completed|removed|rolled back)/);
      const after = await tree(root);
      const state = digest(after) === digest(OLD) ? 'old' : digest(after) === digest(NEW) ? 'new' : 'mixed';
      expect(state, `kill before step ${killAt} (${message}) left ${JSON.stringify(after)}`).not.toBe('mixed');
      if (state === 'old') expect(message ?? 'rolled back').toContain('rolled back');
      outcomes.push(state);
      expect((await readdir(path.join(root, STAGING_DIR)).catch(() => [])).filter((n) => n.startsWith('run-')), 'staging left behind').toEqual([]);
      // Recovery is idempotent: a second pass finds nothing.
      expect(await recover(root)).toEqual({});
    }
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
    // Once the tree turned new, no later kill point can bring the old one back.
    expect(outcomes.lastIndexOf('old')).toBeLessThan(outcomes.indexOf('new'));
  });

  it('an error (not a kill) at any rename leaves the tree old, with the path and operation in the error', async () => {
    const root = path.join(work, 'errors');
    for (let failAt = 1; ; failAt++) {
      await seed(root);
      let calls = 0;
      const fs = {
        ...realFs,
        rename: async (from: string, to: string) => {
          if (!from.endsWith('.tmp') && ++calls === failAt) throw Object.assign(new Error(`EXDEV: cross-device link not permitted, rename '${from}'`), { code: 'EXDEV', path: from, syscall: 'rename' });
          await realFs.rename(from, to);
        },
      };
      const outcome = await writePlan(root, plan(), { fs }).then(() => undefined, (e: Error) => e);
      if (!outcome) break;
      expect(outcome.message).toMatch(/: rename to .* failed \(EXDEV\)$/);
      expect((outcome as unknown as { unchanged: boolean }).unchanged).toBe(true);
      expect(await tree(root)).toEqual(OLD);
      expect(await recover(root)).toEqual({});
    }
  });

  it('a full disk while staging leaves the tree old and says which file', async () => {
    const root = path.join(work, 'enospc');
    await seed(root);
    const fs = {
      ...realFs,
      writeFile: async (file: string, content: string) => {
        if (file.endsWith('c.yaml')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: file, syscall: 'write' });
        await realFs.writeFile(file, content);
      },
    };
    const error = await writePlan(root, plan(), { fs }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/rendered\/alpha\/pvcs\/c\.yaml: write failed \(ENOSPC\)$/);
    expect(await tree(root)).toEqual(OLD);
    expect(await recover(root)).toEqual({});
  });
});

describe('flushing (power loss)', () => {
  it('flushes staged files and folders before the journal, the journal before the renames, and the renames before done', async () => {
    const root = path.join(work, 'flush');
    await seed(root);
    const events: string[] = [];
    const rel = (p: string) => path.relative(root, p) || '.';
    const fs = {
      ...realFs,
      writeFile: async (file: string, content: string) => {
        await realFs.writeFile(file, content);
        events.push(`write ${rel(file)}`);
      },
      sync: async (p: string) => {
        await realFs.sync(p);
        events.push(`sync ${rel(p)}`);
      },
      rename: async (from: string, to: string) => {
        await realFs.rename(from, to);
        events.push(`rename ${rel(from)} ${rel(to)}`);
      },
    };
    await writePlan(root, plan(), { fs });
    const at = (event: string) => {
      expect(events).toContain(event);
      return events.indexOf(event);
    };
    const journal = events.findIndex((e) => /^write .*journal\.json\.tmp$/.test(e));
    expect(at(`sync ${events[journal]!.slice('write '.length)}`)).toBeGreaterThan(journal);
    const committed = events.findIndex((e) => /^rename .*journal\.json\.tmp /.test(e));
    const done = events.findIndex((e) => /^rename .*journal\.json .*done\.json$/.test(e));
    const run = path.dirname(events[journal]!.slice('write '.length));
    const staged = events.filter((e, i) => i < journal && e.startsWith('write '));
    expect(staged.length).toBeGreaterThan(0);
    for (const w of staged) {
      const file = w.slice('write '.length);
      expect(at(`sync ${file}`)).toBeGreaterThan(events.indexOf(w));
      expect(at(`sync ${file}`)).toBeLessThan(journal);
      // Each staged file's folder (and every folder up to the staging run) is flushed after the file is written, before the journal.
      for (let dir = path.dirname(w.slice('write '.length)); dir !== path.dirname(run); dir = path.dirname(dir)) {
        expect(at(`sync ${dir}`)).toBeGreaterThan(events.indexOf(w));
        expect(at(`sync ${dir}`)).toBeLessThan(journal);
      }
    }
    const renames = events.map((e, i) => [e, i] as const).filter(([e]) => e.startsWith('rename ') && !e.includes('journal.json'));
    const flushRun = events.lastIndexOf(`sync ${run}`);
    expect(flushRun).toBeGreaterThan(committed);
    expect(flushRun).toBeLessThan(renames[0]![1]);
    expect(events.indexOf(`sync ${events[journal]!.slice('write '.length)}`)).toBeLessThan(committed);
    for (const [e] of renames) {
      for (const p of e.split(' ').slice(1)) {
        const parent = path.dirname(p);
        expect(events.lastIndexOf(`sync ${parent}`)).toBeGreaterThan(renames.at(-1)![1]);
        expect(events.lastIndexOf(`sync ${parent}`)).toBeLessThan(done);
      }
    }
    expect(await recover(root)).toEqual({});
  });
});

describe('flushing errors', () => {
  it('a failed flush of a staged file leaves the tree old and says which file', async () => {
    const root = path.join(work, 'eio');
    await seed(root);
    const fs = {
      ...realFs,
      sync: async (p: string) => {
        if (p.endsWith('c.yaml')) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO', path: p, syscall: 'fsync' });
        await realFs.sync(p);
      },
    };
    const error = await writePlan(root, plan(), { fs }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/rendered\/alpha\/pvcs\/c\.yaml: flush failed \(EIO\)$/);
    expect(await tree(root)).toEqual(OLD);
    expect(await recover(root)).toEqual({});
  });
});

describe('checkout lock', () => {
  it('is taken over at once when its holder was killed, and refuses while a live holder has it', async () => {
    const root = path.join(work, 'lock');
    await mkdir(root, { recursive: true });
    const run = spawnSync(process.execPath, [child, 'lock', root], { encoding: 'utf8' });
    expect(run.signal).toBe('SIGKILL');
    expect((await readdir(path.join(root, STAGING_DIR))).includes('lock')).toBe(true);
    const lock = await acquireLock(root, { waitMs: 0 });
    const second = await acquireLock(root, { waitMs: 300 }).then(() => 'acquired', (e: unknown) => e);
    expect(second).toBeInstanceOf(LockBusy);
    expect((second as LockBusy).message).toContain(`pid ${process.pid}`);
    await lock.release();
    const third = await acquireLock(root, { waitMs: 0 });
    await third.release();
  });
});
