// Runs a checkout's own `scripts/render.ts` in a child process, so each side renders with its own sources.
import path from 'node:path';
import { $ } from 'zx';

export interface RenderRun {
  ok: boolean;
  /** What the render printed (stderr, then stdout): the error to show when it failed. */
  output: string;
}

/** A render of a healthy tree takes seconds; a hung one must not hold a CI job for hours. */
const RENDER_TIMEOUT = '5m';

/**
 * `tsx <sourceRoot>/scripts/render.ts ARGS` with `toolRoot`'s node_modules. The script derives its
 * repository root from its own location, so it reads `sourceRoot`'s environments/ and apps/.
 */
export async function runRender(toolRoot: string, sourceRoot: string, args: readonly string[], signal?: AbortSignal): Promise<RenderRun> {
  const tsx = path.join(toolRoot, 'node_modules', '.bin', 'tsx');
  const script = path.join(sourceRoot, 'scripts', 'render.ts');
  const result = await $({ cwd: sourceRoot, quiet: true, nothrow: true, timeout: RENDER_TIMEOUT, env: { ...process.env, NO_COLOR: '1' }, signal })`${tsx} ${script} ${args}`;
  const output = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
  return { ok: result.exitCode === 0, output: output || `render exited with ${result.exitCode ?? result.signal}` };
}
