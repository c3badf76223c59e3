// Where the repository is, found from this file's location: works from source, from a bundle, from any cwd.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'orocommerce-gitops';

/** Walks up from `start` to the folder whose package.json is this project's. */
export function findRepoRoot(start: string): string {
  for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${start}`);
  }
}

/**
 * The repository root, whatever the caller's working directory. scripts/run.mjs passes it in, because a
 * bundle under a symlinked node_modules (a CI cache) sits outside the repository once symlinks are resolved.
 */
export const REPO_ROOT: string =
  ((globalThis as Record<symbol, unknown>)[Symbol.for('orocommerce-gitops.root')] as string | undefined) ?? findRepoRoot(fileURLToPath(import.meta.url));
