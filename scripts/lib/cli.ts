// Small helpers shared by the thin main() of every script: argument parsing and error reporting.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';
import { LockBusy } from './lock.ts';
import { WriteFailed } from './writer.ts';

/** Parses argv strictly; an unknown flag is a usage error (exit 2) rather than silently ignored. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of every script (documented in scripts/README.md). */
export const EXIT = { ok: 0, findings: 1, usage: 2, bug: 3, environment: 4, busy: 5 } as const;

/** What an errno code means, for a one-line message. */
const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EXDEV: 'cannot rename across file systems',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENOTDIR: 'a path component is not a folder',
  EISDIR: 'is a folder',
  ENOENT: 'no such file or folder',
  EBUSY: 'resource busy',
};

/** A failure of the machine rather than of the input or the code: a filesystem error with a code and a path. */
export function environmentalError(e: unknown, tree = 'rendered/'): string | undefined {
  if (e instanceof WriteFailed) {
    const what = `${e.path}: ${e.operation} failed: ${ERRNO_WORDS[e.code] ?? e.code} (${e.code})`;
    return e.unchanged ? `${what}; ${tree} was left unchanged` : `${what}; ${tree} is mid-change and the next npm run render completes it`;
  }
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code) || typeof err.syscall !== 'string') return undefined;
  return `${err.path ?? (err as { dest?: string }).dest ?? '(no path)'}: ${err.syscall} failed: ${ERRNO_WORDS[err.code] ?? err.code} (${err.code}); ${tree} was left unchanged`;
}

/** Prints an error the way users need it and returns the exit code: 1 input, 2 usage, 3 bug, 4 environment, 5 busy. */
export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s), tree = 'rendered/'): number {
  if (e instanceof UsageError) {
    write(`${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof InputError) {
    write(`${e.message}\n\nNothing was written.\n`);
    return EXIT.findings;
  }
  if (e instanceof LockBusy) {
    write(`${e.message}\n`);
    return EXIT.busy;
  }
  const environmental = environmentalError(e, tree);
  if (environmental) {
    write(`${environmental}\n`);
    return EXIT.environment;
  }
  write(`unexpected error (a bug; please report it with this output): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.bug;
}

/** Set when a script's main() guard fired, so scripts/run.mjs can refuse to exit 0 when no main() ran. */
export const MAIN_RAN = Symbol.for('orocommerce-gitops.main-ran');

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * True when this module is the script node was started with (the guard around main()). Both sides are
 * resolved through symlinks: node names a module by its real path, and argv[1] may run through a
 * symlinked node_modules (a CI cache), which once made every script silently do nothing.
 */
export function isMain(metaUrl: string): boolean {
  const yes = process.argv[1] !== undefined && real(fileURLToPath(metaUrl)) === real(process.argv[1]);
  if (yes) (globalThis as Record<symbol, unknown>)[MAIN_RAN] = true;
  return yes;
}

/**
 * A script's entry, after its `isMain` guard: runs `main` on the command line's arguments and turns what it throws
 * into the documented exit code (one line for expected errors), `tree` naming what an environmental error left unchanged.
 */
export async function runMain(main: (argv: readonly string[]) => Promise<number>, tree?: string): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.exitCode = reportError(e, undefined, tree);
  }
}

/** True when argv asks for help; every script checks this first and then does nothing else. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('-h') || argv.includes('--help');
}

export { REPO_ROOT } from './paths.ts';
