// The git edge of `npm run affected`: the files that differ between a base and a head (or the working tree).
import { $ } from 'zx';
import { resolveCommit } from '../diff/git.ts';

/** Paths that differ, both sides of a rename, untracked files of the working tree included; sorted. */
export async function changedFiles(root: string, base: string, head?: string): Promise<string[]> {
  const baseCommit = await resolveCommit(root, base);
  const git = $({ cwd: root, quiet: true });
  if (head !== undefined) {
    const headCommit = await resolveCommit(root, head);
    return lines((await git`git diff --name-only --no-renames ${baseCommit} ${headCommit}`).stdout);
  }
  const tracked = lines((await git`git diff --name-only --no-renames ${baseCommit}`).stdout);
  const untracked = lines((await git`git ls-files --others --exclude-standard`).stdout);
  return [...new Set([...tracked, ...untracked])].sort();
}

function lines(s: string): string[] {
  return s.split('\n').filter(Boolean).sort();
}
