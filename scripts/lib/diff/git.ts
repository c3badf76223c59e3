// The git edge of `npm run diff`: resolve refs, add and always remove detached worktrees.
import { rm, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { UsageError } from '../cli.ts';

/** Hooks of the repository must not run when a worktree is checked out for a read-only comparison. */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

function git(root: string) {
  return $({ cwd: root, quiet: true });
}

/** The full commit a ref names; an unknown ref is a usage error (exit 2). */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const out = await $({ cwd: root, quiet: true, nothrow: true })`git rev-parse --verify --quiet --end-of-options ${`${ref}^{commit}`}`;
  if (out.exitCode !== 0) throw new UsageError(`unknown git ref "${ref}": give a branch, tag or commit of this repository (fetch it first if it is remote)`);
  return out.stdout.trim();
}

/** Tracked files only: the report itself, redirected into the checkout (`> diff.md` in CI), must not count. */
export async function isDirty(root: string): Promise<boolean> {
  return (await git(root)`git status --porcelain --untracked-files=no`).stdout.trim() !== '';
}

/**
 * A detached checkout of `commit` at `dir`, with the repository's node_modules linked in: the side is
 * rendered with the dependencies installed here, whatever its package-lock.json pins.
 */
export async function addWorktree(root: string, commit: string, dir: string): Promise<void> {
  await git(root)`git ${NO_HOOKS} worktree add --detach ${dir} ${commit}`;
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** Removes a worktree added by addWorktree; the link goes first so nothing can follow it into node_modules. */
export async function removeWorktree(root: string, dir: string): Promise<void> {
  await unlink(path.join(dir, 'node_modules')).catch(() => undefined);
  await $({ cwd: root, quiet: true, nothrow: true })`git worktree remove --force ${dir}`;
  await rm(dir, { recursive: true, force: true });
}

export async function pruneWorktrees(root: string): Promise<void> {
  await $({ cwd: root, quiet: true, nothrow: true })`git worktree prune`;
}

/** Synchronous removal for a signal handler, where no promise would be awaited before the process exits. */
export function removeWorktreesSync(root: string, dirs: readonly string[]): void {
  for (const dir of dirs) {
    $.sync({ cwd: root, quiet: true, nothrow: true })`rm -f ${path.join(dir, 'node_modules')}`;
    $.sync({ cwd: root, quiet: true, nothrow: true })`git worktree remove --force ${dir}`;
  }
  $.sync({ cwd: root, quiet: true, nothrow: true })`git worktree prune`;
}
