// `npm run render`: environments/*.yaml → rendered/ (validated, atomic); --check is the CI drift gate.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPONENTS, requiredSecrets } from '../apps/index.ts';
import { isMain, parseCli, REPO_ROOT, reportError, UsageError } from './lib/cli.ts';
import { buildRender, findDrift, ValidationFailed, writeRender, type Drift } from './lib/render.ts';
import { formatText } from './lib/validate/format.ts';
import { renderValidator } from './lib/validate/index.ts';

const USAGE = `usage: npm run render -- [--env NAME]... [--check] [--out DIR]
  --env NAME   render only this environment (repeatable); all of environments/*.yaml by default
  --check      render in memory and compare with the committed files; exit 1 on any difference
  --out DIR    write the tree under DIR instead of the repository (used by npm run diff)`;

/** One line per drifted file, then the unified diffs, then what to do. */
export function formatDrift(drift: readonly Drift[]): string {
  const lines = drift.map((d) => `  ${d.change.padEnd(8)} ${d.file}`);
  const patches = drift.flatMap((d) => (d.patch ? [d.patch] : []));
  return [
    `rendered output is stale: ${drift.length === 1 ? '1 file differs' : `${drift.length} files differ`} from a fresh render`,
    ...lines,
    '',
    ...patches,
    'Run `npm run render` and commit the result.',
  ].join('\n');
}

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const args = parseCli(argv, { env: { type: 'string', multiple: true }, check: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = (args.env ?? []).flatMap((e) => e.split(',')).filter(Boolean);
  const result = await buildRender({ root, components: COMPONENTS, only, validate: renderValidator, secrets: requiredSecrets });
  if (args.check) {
    const drift = await findDrift(root, result);
    if (drift.length > 0) {
      process.stderr.write(`${formatDrift(drift)}\n`);
      return 1;
    }
    process.stdout.write(`render --check: rendered/ is up to date (${result.environments.join(', ')})\n`);
    return 0;
  }
  const target = args.out ? path.resolve(process.cwd(), args.out) : root;
  if (args.out && (await stat(target).catch(() => undefined))?.isDirectory() === false) throw new UsageError(`--out ${args.out}: not a directory`);
  await writeRender(target, result);
  const files = [...result.plan.folders.values()].reduce((n, f) => n + f.length, 0) + result.plan.files.length;
  process.stdout.write(`rendered ${result.environments.join(', ')}: ${files} files in ${path.relative(root, target) || '.'}\n`);
  return 0;
}

async function run(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ValidationFailed) {
      process.stderr.write(`${formatText(e.findings)}\n\nNothing was written: fix the source and render again.\n`);
      process.exitCode = 1;
    } else {
      process.exitCode = reportError(e);
    }
  }
}

if (isMain(import.meta.url)) await run();
