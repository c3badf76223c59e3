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

/**
 * Stage, then swap: until the first rename nothing under rendered/ has changed, so any failure while
 * writing leaves it byte-identical. A rename over a non-empty folder fails (ENOTEMPTY), hence the
 * two-step swap per folder: old → staging/old, new → place.
 */
export async function writePlan(root: string, plan: WritePlan): Promise<void> {
  const staging = path.join(root, STAGING_DIR, `${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [folder, files] of plan.folders) await writeFiles(path.join(staging, 'new'), files, folder);
    await writeFiles(path.join(staging, 'new'), plan.files, '');
    const swaps = [...plan.folders.keys()].map((f) => ({ from: path.join(staging, 'new', f), to: path.join(root, f) }));
    const singles = plan.files.map((f) => ({ from: path.join(staging, 'new', f.path), to: path.join(root, f.path) }));
    await swapInto(staging, root, swaps, plan.remove);
    for (const s of singles) await rename(s.from, s.to);
  } finally {
    await rm(path.join(root, STAGING_DIR), { recursive: true, force: true });
  }
}

async function writeFiles(base: string, files: readonly RenderedFile[], folder: string): Promise<void> {
  const dirs = new Set([...(folder ? [path.join(base, folder)] : []), ...files.map((f) => path.dirname(path.join(base, f.path)))]);
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  await Promise.all(files.map((f) => writeFile(path.join(base, f.path), f.content)));
}

async function swapInto(staging: string, root: string, swaps: { from: string; to: string }[], remove: readonly string[]): Promise<void> {
  const old = path.join(staging, 'old');
  for (const [i, folder] of remove.entries()) {
    const p = path.join(root, folder);
    if (await exists(p)) {
      await mkdir(old, { recursive: true });
      await rename(p, path.join(old, `removed-${i}`));
    }
  }
  for (const [i, s] of swaps.entries()) {
    await mkdir(path.dirname(s.to), { recursive: true });
    if (await exists(s.to)) {
      await mkdir(old, { recursive: true });
      await rename(s.to, path.join(old, `replaced-${i}`));
    }
    await rename(s.from, s.to);
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
