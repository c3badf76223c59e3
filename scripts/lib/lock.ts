// One writer per checkout: a lock folder naming its holder (host, pid, process start time), taken over when that process is gone.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Everything the writer keeps beside rendered/ lives here: the lock and one staging folder per run. */
export const STAGING_DIR = '.render-staging';
export const LOCK_NAME = 'lock';

export interface LockOwner {
  host: string;
  pid: number;
  /** Kernel start time of the process (Linux /proc); tells a reused pid from the holder. '' where unknown. */
  start: string;
  command: string;
  since: string;
}

/** Thrown when another live process holds the lock for longer than the caller waits. */
export class LockBusy extends Error {
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    const who = owner ? `${owner.command} (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : 'another process';
    super(`${lockPath}: ${who} is writing this checkout; wait for it to finish and run again`);
    this.name = 'LockBusy';
  }
}

/** Process start time from /proc/<pid>/stat (field 22), or '' when unavailable (not Linux, or no such process). */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the owner is certainly gone: same host, and its pid is dead or now belongs to another process. */
export function isStale(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return false;
  if (!isAlive(owner.pid)) return true;
  return owner.start !== '' && processStart(owner.pid) !== '' && processStart(owner.pid) !== owner.start;
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path.join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

export interface LockOptions {
  /** How long to wait for a live holder, in ms (default 120 s). */
  waitMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (owner: LockOwner | undefined) => void;
  command?: string;
  /** For readers: on a read-only checkout (no lock can be made, and no writer can run) go on without one. */
  readOnlyOk?: boolean;
}

export interface HeldLock {
  owner: LockOwner;
  /** Throws if the lock was taken from us (only possible if we were wrongly judged dead). */
  assertHeld(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the lock of `root`. The lock folder is created complete (owner.json inside) under a temporary
 * name and renamed into place, so it never exists without an owner; rename onto a non-empty folder fails,
 * which is the mutual exclusion. A stale lock is renamed aside (only one taker wins that rename), checked
 * to be the dead owner's, and removed.
 */
export async function acquireLock(root: string, options: LockOptions = {}): Promise<HeldLock> {
  const base = path.join(root, STAGING_DIR);
  const lockDir = path.join(base, LOCK_NAME);
  const owner: LockOwner = {
    host: os.hostname(),
    pid: process.pid,
    start: processStart(process.pid),
    command: options.command ?? path.basename(process.argv[1] ?? 'node'),
    since: new Date().toISOString(),
  };
  // Not recursive: a missing root is the caller's error, not something to create.
  await mkdir(base).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  let waited = false;
  for (;;) {
    const tmp = path.join(base, `lock-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    await writeFile(path.join(tmp, 'owner.json'), JSON.stringify(owner));
    try {
      await rename(tmp, lockDir);
      break;
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
    const holder = await readOwner(lockDir);
    if (holder && isStale(holder)) {
      await takeOver(base, lockDir, holder);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusy(path.relative(root, lockDir) || lockDir, holder);
    if (!waited) options.onWait?.(holder);
    waited = true;
    await sleep(100);
  }
  const held = async () => {
    const now = await readOwner(lockDir);
    return now?.pid === owner.pid && now.start === owner.start && now.since === owner.since && now.host === owner.host;
  };
  return {
    owner,
    assertHeld: async () => {
      if (!(await held())) throw new Error(`${lockDir}: the lock was taken over by another process while this one held it`);
    },
    release: async () => {
      if (!(await held())) return;
      const gone = path.join(base, `released-${process.pid}-${randomBytes(4).toString('hex')}`);
      await rename(lockDir, gone);
      await rm(gone, { recursive: true, force: true });
    },
  };
}

async function takeOver(base: string, lockDir: string, dead: LockOwner): Promise<void> {
  const aside = path.join(base, `stale-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(lockDir, aside);
  } catch {
    return; // someone else moved it first; try again from the top
  }
  const moved = await readOwner(aside);
  if (moved && (moved.pid !== dead.pid || moved.since !== dead.since)) {
    // We moved a live holder's fresh lock (it was taken between our read and our rename): give it back.
    await rename(aside, lockDir).catch(() => undefined);
    return;
  }
  await rm(aside, { recursive: true, force: true });
}

/** Runs `fn` holding the checkout's lock; releases it however `fn` ends (a killed process leaves it stale, which the next run detects). */
export async function withLock<T>(root: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(root, options).catch((e: NodeJS.ErrnoException) => {
    if (options.readOnlyOk && ['EROFS', 'EACCES', 'EPERM'].includes(e.code ?? '')) return undefined;
    throw e;
  });
  if (!lock) return fn({ owner: { host: os.hostname(), pid: process.pid, start: '', command: '', since: '' }, assertHeld: async () => undefined, release: async () => undefined });
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
