#!/usr/bin/env node
// Runs a repository script from a cached esbuild bundle, so `npm run render` neither type-checks nor
// transforms TypeScript file by file on every run. Plain JavaScript because it must run before any build.
// The cache key is a hash of the sources, so a bundle is never stale; `npm run typecheck` does the checking.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'orocommerce-gitops');
// One line per script: `name: 'scripts/file.ts',`. Each script must guard its main() with
// `isMain(import.meta.url)` from scripts/lib/cli.ts: that is how this file knows main() ran (see the end).
const ENTRIES = {
  render: 'scripts/render.ts',
  validate: 'scripts/validate.ts',
  diff: 'scripts/diff.ts',
  promote: 'scripts/promote.ts',
  schema: 'scripts/gen-env-schema.ts',
  bench: 'scripts/bench.ts',
  status: 'scripts/status.ts',
  bootstrap: 'scripts/bootstrap.ts',
  forward: 'scripts/forward.ts',
  'dev-secrets': 'scripts/dev-secrets.ts',
  logs: 'scripts/logs.ts',
  restore: 'scripts/restore.ts',
  clone: 'scripts/clone.ts',
  affected: 'scripts/affected.ts',
};
/** Bumped when the bundle options below change, so old bundles are not reused. */
const BUILD_VERSION = 'deps-bundled-2';

/** Every file a bundle is built from (sources, not tests or fixtures), sorted. */
function sourceFiles(dir) {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|lua|json)$/.test(e.name) && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('fixtures') && !f.startsWith(`scripts${path.sep}schemas${path.sep}`))
    .sort();
}

/**
 * The content hash of the sources, remembered against their stat (inode, size, mtime and ctime in ns):
 * reading and hashing ~170 files plus the lockfile costs 0.1-0.17 s, a stat of each a few ms. ctime
 * cannot be set back by a program, so an edit always changes the stat key and forces a re-hash.
 */
function sourceHash(entry) {
  const files = [...sourceFiles('apps'), ...sourceFiles('scripts'), 'package-lock.json', 'package.json'];
  const statKey = createHash('sha256').update(`${BUILD_VERSION}\0${entry}\0${process.version}`);
  for (const file of files) {
    const s = statSync(path.join(ROOT, file), { bigint: true });
    statKey.update(`${file}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\n`);
  }
  const key = statKey.digest('hex');
  const stampFile = path.join(CACHE, `stamp-${entry}.json`);
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    if (stamp.key === key) return stamp.hash;
  } catch {
    // no stamp yet
  }
  const hash = createHash('sha256').update(`${BUILD_VERSION}\0${entry}\0${process.version}`);
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(ROOT, file)));
  const digest = hash.digest('hex').slice(0, 16);
  const tmp = `${stampFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ key, hash: digest }));
  renameSync(tmp, stampFile);
  return digest;
}

async function bundle(entry, outfile) {
  const { build } = await import('esbuild');
  const tmp = path.join(CACHE, `.tmp-${process.pid}-${path.basename(outfile)}`);
  await build({
    entryPoints: [path.join(ROOT, ENTRIES[entry])],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies are bundled too: resolving and loading ~200 CommonJS/ESM files costs more than parsing one.
    // esbuild itself ships a native binary; zx spawns programs and is only loaded by diff/promote.
    external: ['esbuild', 'zx'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    // Bundled CommonJS dependencies (ajv) call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  const mine = path.basename(outfile);
  for (const old of readdirSync(CACHE).filter((f) => new RegExp(`^${entry}-[0-9a-f]{16}\\.mjs(\\.map)?$`).test(f) && !f.startsWith(mine))) {
    rmSync(path.join(CACHE, old), { force: true });
  }
  renameSync(`${tmp}.map`, `${outfile}.map`);
  const code = readFileSync(tmp, 'utf8').replace(/\/\/# sourceMappingURL=.*\n?$/, `//# sourceMappingURL=${path.basename(outfile)}.map\n`);
  writeFileSync(tmp, code);
  renameSync(tmp, outfile);
}

/**
 * Stack traces point at the TypeScript sources, not at the minified bundle. The map is read only when a
 * stack is actually formatted (an unexpected error), so normal runs pay nothing for it.
 */
function mapStackTraces(outfile) {
  const bundleUrl = pathToFileURL(outfile).href;
  let map;
  Error.prepareStackTrace = (error, callsites) => {
    let head = 'Error';
    try {
      head = String(error);
    } catch {
      // an error whose toString throws
    }
    const lines = callsites.map((site) => {
      const file = site.getFileName();
      if (file === bundleUrl || file === outfile) {
        try {
          map ??= new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
          const entry = map.findEntry(site.getLineNumber() - 1, site.getColumnNumber() - 1);
          if (entry?.originalSource) {
            const source = path.relative(process.cwd(), path.resolve(path.dirname(outfile), entry.originalSource));
            return `    at ${entry.name ?? site.getFunctionName() ?? '<anonymous>'} (${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
          }
        } catch {
          // fall through to the bundle position
        }
      }
      return `    at ${site}`;
    });
    return [head, ...lines].join('\n');
  };
}

/** Writing into a closed pipe (`npm run diff | head`) ends the run quietly, with the shell's code for SIGPIPE. */
function quietOnClosedPipe() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
  }
}

const [entry, ...args] = process.argv.slice(2);
if (!entry || !(entry in ENTRIES)) {
  process.stderr.write(`usage: node scripts/run.mjs <${Object.keys(ENTRIES).join('|')}> [args]\n`);
  process.exit(2);
}
quietOnClosedPipe();
mkdirSync(CACHE, { recursive: true });
const build = sourceHash(entry);
const outfile = path.join(CACHE, `${entry}-${build}.mjs`);
if (!existsSync(outfile)) await bundle(entry, outfile);
mapStackTraces(outfile);
// The bundle finds the repository through this, not through its own (possibly symlinked) location.
globalThis[Symbol.for('orocommerce-gitops.root')] = ROOT;
// Part of every render-cache key: the hash of every source, package.json, package-lock.json and Node's version.
globalThis[Symbol.for('orocommerce-gitops.build')] = build;
// The bundled script's main() guard compares its own path with argv[1].
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
if (!globalThis[Symbol.for('orocommerce-gitops.main-ran')]) {
  process.stderr.write(`run.mjs: ${ENTRIES[entry]} did not run its main(), so nothing was done (guard main() with isMain(import.meta.url) from scripts/lib/cli.ts)\n`);
  process.exit(3);
}
