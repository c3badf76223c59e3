// The render's own dependency graph: every file scripts/render.ts imports (esbuild's metafile) or reads at run time.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Read with readFileSync rather than imported: the health Lua, the vendored schemas, the lockfile that pins the libraries. */
function runtimeInputs(root: string): string[] {
  const under = (dir: string, ext: RegExp) =>
    !existsSync(path.join(root, dir)) ? [] : readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && ext.test(e.name))
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  return [...under('scripts/lib/argocd', /\.lua$/), ...under('scripts/schemas', /\.json$/), 'package-lock.json', 'package.json'];
}

/** Repository-relative paths of everything a render depends on, as the checkout is now. */
export async function renderInputs(root: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [path.join(root, 'scripts/render.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return new Set([...Object.keys(result.metafile.inputs).map((f) => f.split(path.sep).join('/')), ...runtimeInputs(root)]);
}
