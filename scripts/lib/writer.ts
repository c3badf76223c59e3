// Writes a rendered tree atomically: stage everything next to rendered/, then swap folders into place.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedFile } from './pipeline.ts';

/** Staging lives beside rendered/ (same filesystem, so renames are atomic) and outside any Argo CD path. */
export const STAGING_DIR = '.render-staging';

export interface WritePlan {
  /** Folders replaced whole (e.g. `rendered/prod`), with their new content. */
  folders: ReadonlyMap<string, readonly RenderedFile[]>;
  /** Single files replaced in place (e.g. `kustomization.yaml`). */
  files: readonly RenderedFile[];
  /** Folders to delete (an environment whose file was removed). */
  remove: readonly string[];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** How a path is moved into place; replaceable so tests can inject a failure at any step. */
export type Move = (from: string, to: string) => Promise<void>;

/**
 * Stage, then swap: until the first rename nothing under rendered/ has changed, so any failure while
 * writing leaves it byte-identical. A rename over a non-empty folder fails (ENOTEMPTY), hence the
 * two-step swap per folder: old → staging/old, new → place. Every step records its undo, and a failure
 * part-way through the swap undoes the steps already taken, so the tree is never left half old, half new.
 */
export async function writePlan(root: string, plan: WritePlan, move: Move = rename): Promise<void> {
  const staging = path.join(root, STAGING_DIR, `${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [folder, files] of plan.folders) await writeFiles(path.join(staging, 'new'), files, folder);
    await writeFiles(path.join(staging, 'new'), plan.files, '');
    const into = [...plan.folders.keys(), ...plan.files.map((f) => f.path)].map((p) => ({ from: path.join(staging, 'new', p), to: path.join(root, p) }));
    await swapInto(path.join(staging, 'old'), into, plan.remove.map((p) => path.join(root, p)), move);
  } finally {
    await rm(path.join(root, STAGING_DIR), { recursive: true, force: true });
  }
}

async function writeFiles(base: string, files: readonly RenderedFile[], folder: string): Promise<void> {
  const dirs = new Set([...(folder ? [path.join(base, folder)] : []), ...files.map((f) => path.dirname(path.join(base, f.path)))]);
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  await Promise.all(files.map((f) => writeFile(path.join(base, f.path), f.content)));
}

async function swapInto(old: string, into: { from: string; to: string }[], remove: readonly string[], move: Move): Promise<void> {
  await mkdir(old, { recursive: true });
  const undo: (() => Promise<void>)[] = [];
  const step = async (from: string, to: string) => {
    await mkdir(path.dirname(to), { recursive: true });
    await move(from, to);
    undo.push(() => move(to, from));
  };
  try {
    for (const [i, p] of remove.entries()) if (await exists(p)) await step(p, path.join(old, `removed-${i}`));
    for (const [i, s] of into.entries()) {
      if (await exists(s.to)) await step(s.to, path.join(old, `replaced-${i}`));
      await step(s.from, s.to);
    }
  } catch (e) {
    for (const u of undo.reverse()) await u();
    throw e;
  }
}

/** Every file below `dir`, as `/`-separated paths relative to `root`, sorted. */
export async function listFiles(root: string, dir: string): Promise<string[]> {
  const base = path.join(root, dir);
  if (!(await exists(base))) return [];
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

export async function readText(root: string, file: string): Promise<string | undefined> {
  return readFile(path.join(root, file), 'utf8').catch(() => undefined);
}
