#!/usr/bin/env node
// Runs a repository script from a cached esbuild bundle, so `npm run render` neither type-checks nor
// transforms TypeScript file by file on every run. Plain JavaScript because it must run before any build.
// The cache key is a hash of the sources, so a bundle is never stale; `npm run typecheck` does the checking.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'orocommerce-gitops');
const ENTRIES = {
  render: 'scripts/render.ts',
  validate: 'scripts/validate.ts',
  diff: 'scripts/diff.ts',
  promote: 'scripts/promote.ts',
  schema: 'scripts/gen-env-schema.ts',
  bench: 'scripts/bench.ts',
  affected: 'scripts/affected.ts',
};

/** Every file a bundle is built from (sources, not tests or fixtures), sorted. */
function sourceFiles(dir) {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|lua)$/.test(e.name) && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('fixtures'))
    .sort();
}

function sourceHash(entry) {
  const hash = createHash('sha256').update(entry);
  for (const file of [...sourceFiles('apps'), ...sourceFiles('scripts'), 'package-lock.json']) {
    hash.update(file).update('\0').update(readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function bundle(entry, outfile) {
  const { build } = await import('esbuild');
  const tmp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(ROOT, ENTRIES[entry])],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  for (const old of readdirSync(CACHE).filter((f) => f.startsWith(`${entry}-`) && f.endsWith('.mjs'))) {
    rmSync(path.join(CACHE, old), { force: true });
  }
  renameSync(tmp, outfile);
}

const [entry, ...args] = process.argv.slice(2);
if (!entry || !(entry in ENTRIES)) {
  process.stderr.write(`usage: node scripts/run.mjs <${Object.keys(ENTRIES).join('|')}> [args]\n`);
  process.exit(2);
}
mkdirSync(CACHE, { recursive: true });
const outfile = path.join(CACHE, `${entry}-${sourceHash(entry)}.mjs`);
if (!existsSync(outfile)) await bundle(entry, outfile);
// The bundled script's main() guard compares its own path with argv[1].
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
