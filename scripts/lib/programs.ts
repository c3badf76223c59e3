// Runs a real third-party program for the *.real.test.ts suites; a missing one fails with how to install it.
import { spawnSync } from 'node:child_process';

export interface ProgramResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for output whose lengths are counted in bytes. */
  stdoutBytes: Buffer;
}

/** The line a suite fails with when `program` is not installed. */
export function missingProgramMessage(program: string): string {
  return `${program} is not installed: run \`bash scripts/ci/install-programs.sh\` (as root), then \`npm run test:real\` again`;
}

/** Fails the calling suite, with the way to install it, unless every one of `programs` is on PATH. */
export function requirePrograms(...programs: string[]): void {
  for (const program of programs) {
    if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program]).status !== 0) throw new Error(missingProgramMessage(program));
  }
}

/** Runs `program args` to completion (stdin from `input`); throws only when the program cannot be started. */
export function runProgram(program: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): ProgramResult {
  const result = spawnSync(program, args, { input: options.input, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(missingProgramMessage(program));
    throw result.error;
  }
  return { status: result.status ?? -1, stdout: result.stdout.toString('utf8'), stderr: result.stderr.toString('utf8'), stdoutBytes: result.stdout };
}
