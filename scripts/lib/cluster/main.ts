// The guarded main() shared by the cluster commands: one line per expected error, kubectl-like exit codes.
import { UsageError } from '../cli.ts';
import { InputError } from '../errors.ts';
import { ClusterError, EXIT } from './client.ts';

/** Runs a command and sets the exit code: its own result, 2 usage, 1 bad input, 4 no cluster / no permission / missing CRDs, 3 bug. */
export async function runCommand(name: string, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (e instanceof ClusterError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exitCode = EXIT.cluster;
    } else if (e instanceof InputError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exitCode = EXIT.findings;
    } else {
      process.stderr.write(`${name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    }
  }
}
