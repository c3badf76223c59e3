// Renders the base and head of a comparison from their own sources, in temporary worktrees that never outlive the run.
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listFiles } from '../writer.ts';
import type { FileMap } from './compare.ts';
import { addWorktree, isDirty, pruneWorktrees, removeWorktree, removeWorktreesSync, resolveCommit } from './git.ts';
import type { Side } from './group.ts';
import { runRender } from './render-process.ts';

export interface SidesRequest {
  /** The repository (its node_modules render both sides). */
  root: string;
  base: string;
  /** A ref, or undefined for the working tree as it is, uncommitted changes included. */
  head?: string | undefined;
}

export interface RenderedSide {
  side: Side;
  files: FileMap;
}

export interface RenderedSides {
  base: RenderedSide;
  head: RenderedSide;
  notes: string[];
}

export interface SideFailure {
  name: 'base' | 'head';
  side: Side;
  output: string;
}

/** One or both sides failed to render; each failure carries the side's own error output. */
export class RenderFailed extends Error {
  constructor(
    readonly failures: SideFailure[],
    notes: readonly string[],
  ) {
    const sides = failures.map((f) => `${f.name} ${f.side.label} (${f.side.detail}) failed to render:\n${f.output}`);
    super([...sides, ...notes.map((n) => `note: ${n}`)].join('\n\n'));
    this.name = 'RenderFailed';
  }
}

const short = (commit: string) => commit.slice(0, 8);

/** One file at a time: a fleet's tree holds tens of thousands of files, more than a process may open at once (EMFILE). */
async function readTree(dir: string): Promise<Map<string, string>> {
  const files = await listFiles(dir, '');
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const));
}

async function lockfile(dir: string): Promise<string | undefined> {
  return readFile(path.join(dir, 'package-lock.json'), 'utf8').catch(() => undefined);
}

/** Stops the renders and removes the worktrees even on Ctrl-C or a CI cancel, where `finally` blocks never run. */
function cleanupOnSignal(root: string, worktrees: readonly string[], tmp: string, renders: AbortController): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      renders.abort();
      removeWorktreesSync(root, worktrees);
      rmSync(tmp, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

export async function renderSides(req: SidesRequest): Promise<RenderedSides> {
  const baseCommit = await resolveCommit(req.root, req.base);
  const headCommit = req.head === undefined ? undefined : await resolveCommit(req.root, req.head);
  const currentCommit = headCommit ?? (await resolveCommit(req.root, 'HEAD'));
  const base: Side = { label: req.base, detail: short(baseCommit) };
  const head: Side =
    req.head === undefined
      ? { label: 'working tree', detail: `${short(currentCommit)}${(await isDirty(req.root)) ? ' + uncommitted changes' : ''}` }
      : { label: req.head, detail: short(currentCommit) };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'orocommerce-diff-'));
  const worktrees: string[] = [];
  const renders = new AbortController();
  const stopWatching = cleanupOnSignal(req.root, worktrees, tmp, renders);
  try {
    const checkout = async (name: string, commit: string) => {
      const dir = path.join(tmp, name);
      worktrees.push(dir);
      await addWorktree(req.root, commit, dir);
      return dir;
    };
    const baseDir = await checkout('base', baseCommit);
    const headDir = headCommit === undefined ? req.root : await checkout('head', headCommit);
    const [baseRun, headRun] = await Promise.all([
      runRender(req.root, baseDir, ['--out', path.join(tmp, 'out-base')], renders.signal),
      runRender(req.root, headDir, ['--out', path.join(tmp, 'out-head')], renders.signal),
    ]);
    // This checkout's package-lock.json stands for what its node_modules holds (`npm ci` installs exactly it).
    const installed = await lockfile(req.root);
    const notes: string[] = [];
    for (const s of [{ name: 'base', side: base, dir: baseDir }, { name: 'head', side: head, dir: headDir }]) {
      if ((await lockfile(s.dir)) !== installed) notes.push(`${s.name} ${s.side.label} pins other dependencies (its package-lock.json differs) but was rendered with this checkout's node_modules.`);
    }
    const failures: SideFailure[] = [
      ...(baseRun.ok ? [] : [{ name: 'base' as const, side: base, output: baseRun.output }]),
      ...(headRun.ok ? [] : [{ name: 'head' as const, side: head, output: headRun.output }]),
    ];
    if (failures.length > 0) throw new RenderFailed(failures, notes);
    const [baseFiles, headFiles] = await Promise.all([readTree(path.join(tmp, 'out-base')), readTree(path.join(tmp, 'out-head'))]);
    return { base: { side: base, files: baseFiles }, head: { side: head, files: headFiles }, notes };
  } finally {
    stopWatching();
    for (const dir of worktrees) await removeWorktree(req.root, dir);
    await pruneWorktrees(req.root);
    await rm(tmp, { recursive: true, force: true });
  }
}
