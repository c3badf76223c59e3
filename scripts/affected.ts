// `npm run affected`: which environments and Applications a change affects, as text or as JSON for a CI matrix.
import { COMPONENTS } from '../apps/index.ts';
import { computeAffected } from './lib/affected/compute.ts';
import { affectedJson, affectedText } from './lib/affected/format.ts';
import { changedFiles } from './lib/affected/git.ts';
import { renderInputs } from './lib/affected/inputs.ts';
import { isMain, parseCli, REPO_ROOT, runMain, UsageError } from './lib/cli.ts';
import { resolveChain } from './lib/environment/extends.ts';
import { ENVIRONMENTS_DIR, fileReader, listEnvironmentNames } from './lib/environment/load.ts';

const USAGE = `usage: npm run affected -- --base REF [--head REF] [--format text|json]

Lists the environments and rendered folders (one per Argo CD Application) that the files changed
between REF and the head may change: environment files and what extends them, profiles, render
sources (by the render's own import graph) and rendered/ folders. Offline; nothing is rendered.

  --base REF     branch, tag or commit to compare against (e.g. origin/main)
  --head REF     by default the working tree, uncommitted and untracked files included
  --format F     text (default) or json: {"environments": [...], "applications": [...], ...}

exit codes: 0 listed (possibly nothing), 2 usage error

example: npm run -s affected -- --base origin/main --format json | jq -c .environments`;

export interface Io {
  stdout(s: string): void;
}

/** Each environment's chain of refs, read leniently: a file that does not load is still affected by its own changes. */
async function chains(root: string): Promise<Map<string, string[]>> {
  const read = fileReader(root);
  const out = new Map<string, string[]>();
  for (const name of await listEnvironmentNames(root)) {
    const file = `${ENVIRONMENTS_DIR}/${name}.yaml`;
    try {
      out.set(name, resolveChain(ENVIRONMENTS_DIR, name, file, read(file) ?? '', read).map((c) => c.ref));
    } catch {
      out.set(name, [name]);
    }
  }
  return out;
}

export async function main(argv: readonly string[], root = REPO_ROOT, io: Io = { stdout: (s) => process.stdout.write(s) }): Promise<number> {
  const args = parseCli(argv, { base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean' } }, USAGE);
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!args.base) throw new UsageError(`--base is required\n\n${USAGE}`);
  if (args.format !== 'text' && args.format !== 'json') throw new UsageError(`--format must be text or json, not "${args.format}"\n\n${USAGE}`);
  const changed = await changedFiles(root, args.base, args.head);
  const components = COMPONENTS.map((c) => c.name);
  const affected = computeAffected(changed, { chains: await chains(root), components, renderInputs: await renderInputs(root) });
  const sides = { base: args.base, head: args.head ?? 'working tree' };
  io.stdout(args.format === 'json' ? affectedJson(affected, sides) : affectedText(affected, sides, [...components, 'apps', 'bootstrap']));
  return 0;
}

if (isMain(import.meta.url)) await runMain(main);
