// Writes a rendered tree as one transaction: stage in a folder of this run, then commit by renames a journal makes recoverable.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { STAGING_DIR } from './lock.ts';
import type { RenderedFile } from './pipeline.ts';

export { STAGING_DIR } from './lock.ts';

export interface WritePlan {
  /** Folders replaced whole (e.g. `rendered/prod`), with their new content. */
  folders: ReadonlyMap<string, readonly RenderedFile[]>;
  /** Single files replaced in place (e.g. `kustomization.yaml`). */
  files: readonly RenderedFile[];
  /** Folders to delete (an environment whose file was removed). */
  remove: readonly string[];
}

/** The file-system calls the writer makes; replaceable so tests can fail any of them. */
export interface WriterFs {
  rename(from: string, to: string): Promise<void>;
  writeFile(file: string, content: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  /** Flushes a file's content, or a folder's entries (names made, renamed or removed in it), to the disk. */
  sync(fileOrDir: string): Promise<void>;
}

/** fsync through a read-only handle: Linux flushes the file's (or folder's) data and metadata whoever wrote it. */
async function sync(fileOrDir: string): Promise<void> {
  const handle = await open(fileOrDir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Runs at most `max` jobs at once (each fsync holds an open handle and a thread-pool thread). */
function limiter(max: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing job hands over its slot
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Flushes many files or folders, a few at a time; with `missingOk`, one that is gone has nothing to flush. */
async function syncAll(fs: Pick<WriterFs, 'sync'>, paths: Iterable<string>, missingOk = false): Promise<void> {
  const limit = limiter(16);
  await Promise.all(
    [...new Set(paths)].map((p) =>
      limit(() => fs.sync(p)).catch((e: NodeJS.ErrnoException) => {
        if (!(missingOk && e?.code === 'ENOENT')) throw e;
      }),
    ),
  );
}

export const realFs: WriterFs = {
  rename,
  writeFile: (f, c) => writeFile(f, c),
  mkdir: async (d) => void (await mkdir(d, { recursive: true })),
  sync,
};

export interface WriteOptions {
  fs?: WriterFs;
  /** Called before every step that changes the disk, numbered from 0; tests kill the process here. */
  beforeStep?: (step: number, what: string) => void;
  /** Called just before the commit point; the lock check goes here. */
  beforeCommit?: () => Promise<void>;
}

/** One rename of the commit, relative to the root. */
interface Move {
  from: string;
  to: string;
}

interface Journal {
  version: 1;
  pid: number;
  moves: Move[];
}

const JOURNAL = 'journal.json';
const DONE = 'done.json';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** A filesystem error with the path and operation that failed, so the CLI can say it in one line. */
export class WriteFailed extends Error {
  constructor(
    readonly path: string,
    readonly operation: string,
    readonly code: string,
    readonly unchanged: boolean,
  ) {
    super(`${path}: ${operation} failed (${code})`);
    this.name = 'WriteFailed';
  }
}

function wrap(e: unknown, op: string, file: string, unchanged: boolean): unknown {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof WriteFailed || typeof err?.code !== 'string') return e;
  return new WriteFailed(err.path ?? file, op, err.code, unchanged);
}

/**
 * Stage, journal, rename, unjournal. Until the journal exists nothing under the root has changed, so a
 * failure or a kill while staging leaves it byte-identical (recovery just deletes the staging folder).
 * Once the journal exists, every step is a rename listed in it: recovery replays the ones not yet done
 * (a rename is done when its source is gone or its target is already taken), so the whole tree ends new.
 * An error (not a kill) part-way through the renames undoes the ones already taken and drops the journal,
 * so the root is left as it was. A rename over a non-empty folder fails (ENOTEMPTY), hence two renames
 * per replaced folder: old → staging/old, new → place.
 */
export async function writePlan(root: string, plan: WritePlan, options: WriteOptions = {}): Promise<void> {
  const staging = await openStaging(root, options);
  try {
    for (const [folder, files] of plan.folders) await staging.add(files, folder);
    await staging.add(plan.files);
  } catch (e) {
    await staging.discard();
    throw e;
  }
  await staging.commit({ folders: [...plan.folders.keys()], files: plan.files.map((f) => f.path), remove: plan.remove });
}

/** What a commit puts in place: whole folders, single files, and folders to delete (paths relative to the root). */
export interface CommitPlan {
  folders: readonly string[];
  files: readonly string[];
  remove: readonly string[];
}

/** A write in progress: files are staged as they come (a render need not hold them all), then committed at once. */
export interface Staging {
  add(files: readonly RenderedFile[], folder?: string): Promise<void>;
  commit(plan: CommitPlan): Promise<void>;
  /** Deletes the staging; the root was never touched. */
  discard(): Promise<void>;
}

export async function openStaging(root: string, options: WriteOptions = {}): Promise<Staging> {
  const fs = options.fs ?? realFs;
  let n = 0;
  const step = (what: string) => options.beforeStep?.(n++, what);
  const run = path.join(STAGING_DIR, `run-${process.pid}-${randomBytes(4).toString('hex')}`);
  const abs = (p: string) => path.join(root, p);
  const discard = async () => {
    await rm(abs(run), { recursive: true, force: true }).catch(() => undefined);
  };
  step('create the staging folder');
  try {
    await fs.mkdir(abs(path.join(run, 'new')));
  } catch (e) {
    throw wrap(e, 'stage', abs(run), true);
  }
  const made = new Set<string>();
  // Staged files are flushed in the background while the next environment renders (a flush is mostly
  // waiting on the disk); the commit waits for all of them before it writes the journal.
  const flushLimit = limiter(16);
  const flushes: Promise<void>[] = [];
  let flushFailed: unknown;
  const add = async (files: readonly RenderedFile[], folder?: string) => {
    try {
      const dirs = new Set([...(folder ? [path.join(run, 'new', folder)] : []), ...files.map((f) => path.dirname(path.join(run, 'new', f.path)))]);
      for (const dir of [...dirs].sort()) {
        if (made.has(dir)) continue;
        await fs.mkdir(abs(dir));
        made.add(dir);
      }
      step(`write the staged files${folder ? ` of ${folder}` : ''}`);
      const written = files.map(async (f) => {
        step(`write ${f.path}`);
        try {
          await fs.writeFile(abs(path.join(run, 'new', f.path)), f.content);
        } catch (e) {
          throw wrap(e, 'write', abs(path.join(run, 'new', f.path)), true);
        }
      });
      const results = await Promise.allSettled(written);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      // One job per call (a folder), its files one after another: a few promises, not one per file.
      const paths = files.map((f) => abs(path.join(run, 'new', f.path)));
      const flush = async () => {
        for (const file of paths) await fs.sync(file).catch((e: unknown) => Promise.reject(wrap(e, 'flush', file, true)));
      };
      flushes.push(flushLimit(flush).catch((e: unknown) => void (flushFailed ??= e)));
    } catch (e) {
      await discard();
      throw wrap(e, 'stage', abs(run), true);
    }
  };
  const commit = async (plan: CommitPlan) => {
    // Every staged file and folder reaches the disk before the journal makes them the commit, so after a
    // power loss the journal never names a missing or empty file.
    try {
      await Promise.all(flushes);
      if (flushFailed) throw flushFailed;
      await syncAll(fs, [...made, path.join(run, 'new'), run].map(abs));
    } catch (e) {
      await discard();
      throw wrap(e, 'stage', abs(run), true);
    }
    await commitStaged(root, run, plan, fs, step, options.beforeCommit);
  };
  return { add, commit, discard };
}

async function commitStaged(root: string, run: string, plan: CommitPlan, fs: WriterFs, step: (what: string) => void, beforeCommit?: () => Promise<void>): Promise<void> {
  const abs = (p: string) => path.join(root, p);
  const moves: Move[] = [];
  let k = 0;
  for (const p of plan.remove) if (await exists(abs(p))) moves.push({ from: p, to: path.join(run, 'old', `${k++}`) });
  for (const p of [...plan.folders, ...plan.files]) {
    if (await exists(abs(p))) moves.push({ from: p, to: path.join(run, 'old', `${k++}`) });
    moves.push({ from: path.join(run, 'new', p), to: p });
  }
  const parents = [...new Set(moves.map((m) => path.dirname(m.to)))].sort();

  try {
    for (const dir of parents) if (!(await exists(abs(dir)))) await fs.mkdir(abs(dir));
    await beforeCommit?.();
    step('write the journal (commit point)');
    const journal: Journal = { version: 1, pid: process.pid, moves };
    await fs.writeFile(abs(path.join(run, `${JOURNAL}.tmp`)), JSON.stringify(journal));
    await fs.sync(abs(path.join(run, `${JOURNAL}.tmp`)));
    await fs.rename(abs(path.join(run, `${JOURNAL}.tmp`)), abs(path.join(run, JOURNAL)));
    await fs.sync(abs(run));
  } catch (e) {
    await rm(abs(run), { recursive: true, force: true }).catch(() => undefined);
    throw wrap(e, 'prepare', abs(run), true);
  }

  const done: Move[] = [];
  try {
    for (const m of moves) {
      step(`rename ${m.from} → ${m.to}`);
      await fs.rename(abs(m.from), abs(m.to)).catch((e: unknown) => {
        throw wrap(e, `rename to ${m.to}`, abs(m.from), false);
      });
      done.push(m);
    }
  } catch (e) {
    // Undo in reverse, then drop the journal: the root is as it was. If an undo fails too, the journal
    // stays and the next run completes the write instead.
    let undone = true;
    for (const m of done.reverse()) {
      const ok = await fs.rename(abs(m.to), abs(m.from)).then(
        () => true,
        () => false,
      );
      if (!ok) {
        undone = false;
        break;
      }
    }
    if (undone) await rm(abs(run), { recursive: true, force: true }).catch(() => undefined);
    throw e instanceof WriteFailed ? new WriteFailed(e.path, e.operation, e.code, undone) : e;
  }
  // The renames reach the disk before the journal is marked done and removed: otherwise a power loss
  // could keep the removal and lose a rename. If flushing fails, the journal stays and the next run
  // replays it (every rename is already done, so that changes nothing but flushes again).
  const flushed = await syncAll(fs, moves.flatMap((m) => [path.dirname(abs(m.from)), path.dirname(abs(m.to))])).then(
    () => true,
    () => false,
  );
  if (!flushed) return;
  // The write is complete: a failure from here on only leaves the old tree in staging, which the next
  // run's recovery removes (replaying a journal whose renames are all done changes nothing).
  step('mark the write done');
  await fs.rename(abs(path.join(run, JOURNAL)), abs(path.join(run, DONE))).catch(() => undefined);
  step('remove the previous tree');
  await rm(abs(run), { recursive: true, force: true }).catch(() => undefined);
}

export interface Recovery {
  /** What was found and done, in one line; undefined when there was nothing to recover. */
  message?: string;
}

/**
 * Finishes or rolls back any write a killed process left behind. Call it holding the lock, before
 * reading or writing rendered/. With a journal the write is completed (its staging was complete);
 * without one, rendered/ was never touched and the staging is removed.
 */
export async function recover(root: string): Promise<Recovery> {
  const base = path.join(root, STAGING_DIR);
  const entries = await readdir(base).catch(() => [] as string[]);
  const messages: string[] = [];
  for (const name of entries.sort()) {
    const dir = path.join(base, name);
    if (/^(lock-|stale-|released-)/.test(name)) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (!name.startsWith('run-')) continue;
    const pid = name.split('-')[1];
    const journal = await readFile(path.join(dir, JOURNAL), 'utf8').catch(() => undefined);
    if (journal !== undefined) {
      const { moves } = JSON.parse(journal) as Journal;
      for (const m of moves) {
        const from = path.join(root, m.from);
        const to = path.join(root, m.to);
        if ((await exists(from)) && !(await exists(to))) {
          await mkdir(path.dirname(to), { recursive: true });
          await rename(from, to);
        }
      }
      // Flushed before the journal is marked done, as in a normal commit.
      await syncAll(realFs, moves.flatMap((m) => [path.dirname(path.join(root, m.from)), path.dirname(path.join(root, m.to))]), true);
      // Mark it done before deleting anything, so a kill during the removal below is reported truthfully.
      await rename(path.join(dir, JOURNAL), path.join(dir, DONE));
      messages.push(`completed the write of rendered/ that process ${pid} was killed in the middle of`);
    } else if (await exists(path.join(dir, DONE))) {
      messages.push(`removed what was left of process ${pid}'s finished write (rendered/ is its complete output)`);
    } else {
      messages.push(`rolled back the write process ${pid} was killed in (it had not changed rendered/ yet)`);
    }
    await rm(dir, { recursive: true, force: true });
  }
  return messages.length > 0 ? { message: `recovered: ${messages.join('; ')}` } : {};
}

/** Every file below `dir`, as `/`-separated paths relative to `root`, sorted. */
export async function listFiles(root: string, dir: string): Promise<string[]> {
  const base = path.join(root, dir);
  if (!(await exists(base))) return [];
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

export async function readText(root: string, file: string): Promise<string | undefined> {
  return readFile(path.join(root, file), 'utf8').catch(() => undefined);
}
