// The git edge of `npm run promote --batch`: refuse a dirty tree, commit one batch's files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { $ } from 'zx';

/** Tracked changes in the checkout (a batch commit must hold only what the promotion wrote). */
export async function trackedChanges(root: string): Promise<string[]> {
  const out = await $({ cwd: root, quiet: true })`git status --porcelain --untracked-files=no`;
  return out.stdout.split('\n').filter(Boolean);
}

/** Commits the environment files and everything the render wrote (rendered/, kustomization.yaml). */
export async function commitBatch(root: string, files: readonly string[], message: string): Promise<string> {
  const outputs = ['rendered', 'kustomization.yaml'].filter((p) => existsSync(path.join(root, p)));
  await $({ cwd: root, quiet: true })`git add -A -- ${files} ${outputs}`;
  await $({ cwd: root, quiet: true })`git commit -q -m ${message}`;
  return (await $({ cwd: root, quiet: true })`git rev-parse --short=8 HEAD`).stdout.trim();
}
