// Runs a checkout's own `scripts/render.ts` in a child process, so each side renders with its own sources.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { $ } from 'zx';

export interface RenderRun {
  ok: boolean;
  /** What the render printed (stderr, then stdout): the error to show when it failed. */
  output: string;
}

/** A render of a healthy tree takes seconds; a hung one must not hold a CI job for hours. */
const RENDER_TIMEOUT = '5m';
const BUNDLE_FORMAT = 'side-render-1';
const KEEP_BUNDLES = 6;
const LAUNCHER = `// Written by scripts/lib/diff/render-process.ts: runs a side's bundled render as if from its scripts/render.ts.
const { OROCOMMERCE_SIDE_SCRIPT: script, OROCOMMERCE_SIDE_BUNDLE: bundle } = process.env;
delete process.env.OROCOMMERCE_SIDE_SCRIPT;
delete process.env.OROCOMMERCE_SIDE_BUNDLE;
process.argv[1] = script;
await import(bundle);
`;

/** The side's sources a bundle is built from (as scripts/run.mjs lists them), hashed with the tool's lockfile and Node's version. */
async function sideHash(toolRoot: string, sourceRoot: string, script: string): Promise<string> {
  const hash = createHash('sha256').update(`${BUNDLE_FORMAT}\0${process.version}\0${script}\0`);
  hash.update(await readFile(path.join(toolRoot, 'package-lock.json')).catch(() => Buffer.from('')));
  for (const dir of ['apps', 'scripts']) {
    const entries = await readdir(path.join(sourceRoot, dir), { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries
      .filter((e) => e.isFile() && /\.(ts|lua|json)$/.test(e.name) && !e.name.endsWith('.test.ts'))
      .map((e) => path.relative(sourceRoot, path.join(e.parentPath, e.name)))
      .filter((f) => !f.split(path.sep).includes('fixtures') && !f.startsWith(`scripts${path.sep}schemas${path.sep}`))
      .sort();
    for (const f of files) hash.update(f).update('\0').update(await readFile(path.join(sourceRoot, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The side's render.ts as one esbuild bundle (dependencies from the tool's node_modules), cached in the
 * tool's cache by a hash of the side's sources and location. `import.meta.url` is defined as the side's
 * own scripts/render.ts, so the bundled code finds the side's repository exactly as it does when run from
 * source (by walking up from its file, which older sides do), wherever the bundle lies.
 */
async function sideBundle(toolRoot: string, sourceRoot: string, script: string): Promise<string> {
  const name = `render-${await sideHash(toolRoot, sourceRoot, script)}.mjs`;
  const cacheDir = path.join(toolRoot, 'node_modules', '.cache', 'orocommerce-gitops', 'sides');
  const cached = path.join(cacheDir, name);
  if (!(await stat(cached).catch(() => undefined))) {
    await mkdir(cacheDir, { recursive: true });
    const { build } = await import('esbuild');
    // Both sides are built at once by this one process: a name of its own per build, not per process.
    const tmp = path.join(cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${name}`);
    await build({
      entryPoints: [script],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['esbuild'],
      nodePaths: [path.join(toolRoot, 'node_modules')],
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(script).href) },
      minify: true,
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: 'error',
    });
    await rename(tmp, cached);
    // Temporary worktrees make a new bundle on every run: keep only the most recent few.
    const bundles = await Promise.all(
      (await readdir(cacheDir)).filter((f) => /^render-[0-9a-f]{16}\.mjs$/.test(f)).map(async (f) => ({ f, t: (await stat(path.join(cacheDir, f))).mtimeMs })),
    );
    for (const { f } of bundles.sort((a, b) => b.t - a.t).slice(KEEP_BUNDLES)) await rm(path.join(cacheDir, f), { force: true });
  }
  return cached;
}

/**
 * Renders `sourceRoot` with its own sources and `toolRoot`'s dependencies, from a cached bundle (the
 * same fast path as `npm run render`; no TypeScript transform per file). The bundled script derives its
 * repository root from its own location, so it reads `sourceRoot`'s environments/ and apps/.
 */
export async function runRender(toolRoot: string, sourceRoot: string, args: readonly string[], signal?: AbortSignal): Promise<RenderRun> {
  const script = path.join(sourceRoot, 'scripts', 'render.ts');
  let bundle: string;
  try {
    bundle = await sideBundle(toolRoot, sourceRoot, script);
  } catch (e) {
    return { ok: false, output: `cannot build the render of ${sourceRoot}: ${(e as Error).message}` };
  }
  // The script's main() guard compares argv[1] with its own (defined) location: a launcher file (not
  // `node -e`, which changes how parseArgs reads argv) puts the script's path there, then loads the bundle.
  const launcher = path.join(path.dirname(bundle), `launch-${createHash('sha256').update(LAUNCHER).digest('hex').slice(0, 8)}.mjs`);
  if (!(await stat(launcher).catch(() => undefined))) {
    // Written aside and renamed: the other side's render may be starting from it at this moment.
    // Both sides come here at once from this one process, so the temporary name is per call, not per process.
    const tmp = `${launcher}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, LAUNCHER);
    await rename(tmp, launcher);
  }
  const env = { ...process.env, NO_COLOR: '1', OROCOMMERCE_SIDE_SCRIPT: script, OROCOMMERCE_SIDE_BUNDLE: pathToFileURL(bundle).href };
  const result = await $({ cwd: sourceRoot, quiet: true, nothrow: true, timeout: RENDER_TIMEOUT, env, signal })`${process.execPath} --disable-proto=delete ${launcher} ${args}`;
  const output = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
  // A render that exits 0 without saying what it wrote did not run its main(): never take that for success.
  if (result.exitCode === 0 && !/^rendered /m.test(result.stdout)) return { ok: false, output: `the render of ${sourceRoot} exited 0 without rendering anything${output ? `:\n${output}` : ''}` };
  return { ok: result.exitCode === 0, output: output || `render exited with ${result.exitCode ?? result.signal}` };
}
