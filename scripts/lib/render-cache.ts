// Skips environments whose inputs and committed output are both unchanged since the render that wrote them.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from './environment/schema.ts';
import { STAGING_DIR } from './lock.ts';
import { RENDERED_DIR } from './pipeline.ts';

/**
 * The key of an environment's output is a hash of everything that can change it:
 * - `build`: the hash scripts/run.mjs bundles under, over every source file of apps/ and scripts/,
 *   package.json, package-lock.json and the Node version (so any code, rule, exception or dependency change);
 * - every vendored schema file (scripts/schemas/, read at run time, not bundled);
 * - the environment file's name and bytes.
 * Other environments do not enter it: an environment's documents and their validation depend on it alone.
 *
 * The output side is checked too: the entry records each file of rendered/<env> by inode, size and ctime
 * (which no program can set back) right after the commit, and the folder must still hold exactly those
 * files. A hand edit, a `git checkout` or a missing or extra file therefore re-renders the environment.
 */
export interface RenderCache {
  /** The environment as last loaded, if its key and its folder on disk both match the entry; else undefined. */
  unchanged(name: string, source: string): Promise<Environment | undefined>;
  /** Records environments just written (after the commit), with the Environment they were rendered from. */
  record(envs: readonly Environment[], sources: ReadonlyMap<string, string>): Promise<void>;
  /** Drops entries of environments that no longer exist. */
  prune(names: readonly string[]): Promise<void>;
}

interface Entry {
  key: string;
  env: Environment;
  /** `rendered/<env>/…` → stamp. */
  files: Record<string, string>;
}

/** Synchronous on purpose: thousands of tiny stats cost far less than as many thread-pool round trips. */
function stamp(file: string): string | undefined {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.ctimeNs}:${s.mtimeNs}` : undefined;
}

/** Every file under `dir` (relative to `root`, `/`-separated), or undefined when `dir` is missing. */
function filesUnder(root: string, dir: string): string[] | undefined {
  try {
    return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  } catch {
    return undefined;
  }
}

/** sha256 over every file under scripts/schemas (about 0.8 MB). */
async function schemaHash(repoRoot: string): Promise<string> {
  const dir = path.join(repoRoot, 'scripts/schemas');
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(path.relative(dir, f)).update('\0').update(await readFile(f)).update('\0');
  return hash.digest('hex');
}

/** The build id scripts/run.mjs publishes; without it (tests, tsx) there is no cache, which is always safe. */
export function currentBuild(): string | undefined {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('orocommerce-gitops.build')] as string | undefined;
}

export async function openRenderCache(target: string, repoRoot: string, build: string): Promise<RenderCache> {
  const dir = path.join(target, STAGING_DIR, 'cache');
  const base = `${build}\0${await schemaHash(repoRoot)}`;
  const keyOf = (name: string, source: string) => createHash('sha256').update(base).update('\0').update(name).update('\0').update(source).digest('hex');
  const entryFile = (name: string) => path.join(dir, `${name}.json`);

  return {
    async unchanged(name, source) {
      const text = await readFile(entryFile(name), 'utf8').catch(() => undefined);
      if (text === undefined) return undefined;
      let entry: Entry;
      try {
        entry = JSON.parse(text) as Entry;
      } catch {
        return undefined;
      }
      if (entry.key !== keyOf(name, source)) return undefined;
      const onDisk = filesUnder(target, `${RENDERED_DIR}/${name}`) ?? [];
      if (onDisk.length !== Object.keys(entry.files).length) return undefined;
      return onDisk.every((f) => entry.files[f] !== undefined && stamp(path.join(target, f)) === entry.files[f]) ? entry.env : undefined;
    },
    async record(envs, sources) {
      await mkdir(dir, { recursive: true });
      await Promise.all(
        envs.map(async (env) => {
          const source = sources.get(env.name);
          if (source === undefined) return;
          const files: Record<string, string> = {};
          for (const f of filesUnder(target, `${RENDERED_DIR}/${env.name}`) ?? []) {
            const s = stamp(path.join(target, f));
            if (s) files[f] = s;
          }
          const tmp = `${entryFile(env.name)}.${process.pid}.tmp`;
          await writeFile(tmp, JSON.stringify({ key: keyOf(env.name, source), env, files } satisfies Entry));
          await rename(tmp, entryFile(env.name));
        }),
      );
    },
    async prune(names) {
      const present = await readdir(dir).catch(() => [] as string[]);
      await Promise.all(present.filter((f) => f.endsWith('.json') && !names.includes(f.slice(0, -5))).map((f) => rm(path.join(dir, f), { force: true })));
    },
  };
}
