// Small helpers shared by the thin main() of every script: argument parsing and error reporting.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

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

/** Prints an error the way users need it and returns the exit code: 2 usage, 1 input/validation, 3 bug. */
export function reportError(e: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (e instanceof UsageError) {
    write(`${e.message}\n`);
    return 2;
  }
  if (e instanceof InputError) {
    write(`${e.message}\n\nNothing was written.\n`);
    return 1;
  }
  write(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 3;
}

/** True when this module is the script node was started with (the guard around main()). */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(metaUrl) === path.resolve(process.argv[1]);
}

export { REPO_ROOT } from './paths.ts';
