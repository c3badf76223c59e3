// `npm run render`: environments/*.yaml → rendered/ (validated, atomic); --check is the CI drift gate.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { COMPONENTS, requiredSecrets } from '../apps/index.ts';
import { isMain, parseCli, REPO_ROOT, reportError, UsageError, wantsHelp } from './lib/cli.ts';
import { withLock } from './lib/lock.ts';
import type { RenderedFile } from './lib/pipeline.ts';
import { buildRender, findDrift, folderDrift, sortDrift, ValidationFailed, type Drift } from './lib/render.ts';
import { currentBuild, openRenderCache } from './lib/render-cache.ts';
import { openStaging, recover } from './lib/writer.ts';
import { formatText } from './lib/validate/format.ts';
import { renderValidator } from './lib/validate/index.ts';

const USAGE = `usage: npm run render -- [--env NAME]... [--check] [--out DIR]
  --env NAME   render only this environment (repeatable); all of environments/*.yaml by default
  --check      render in memory and compare with the committed files; exit 1 on any difference
  --out DIR    write the tree under DIR instead of the repository (used by npm run diff)

The write is one transaction: a render killed at any instant is completed or rolled back by the next
render, render --check or validate, which says so in one line. One render at a time per checkout: a
second one waits for the first (up to 2 minutes), then stops.

exit codes: 0 done, 1 invalid input, validation findings or drift (--check), 2 usage error,
            3 bug, 4 file-system error (rendered/ left unchanged), 5 another render holds the lock`;

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

/** `--env a,b --env c` → names; an empty name (`--env ''`, `--env a,`) is a usage error, never "all". */
export function environmentNames(values: readonly string[] | undefined): string[] {
  const names = (values ?? []).flatMap((e) => e.split(','));
  if (names.some((n) => n.trim() === '')) throw new UsageError(`--env needs an environment name (got ${JSON.stringify((values ?? []).join(','))}); leave --env out to render every environment\n\n${USAGE}`);
  return [...new Set(names.map((n) => n.trim()))];
}

/** `render: 120/500 environments` on a terminal, rewritten in place; nothing when piped or in CI. */
function progressLine(stream: NodeJS.WriteStream = process.stderr): { update: (done: number, total: number) => void; done: () => void } {
  const active = stream.isTTY === true && !process.env.CI;
  let shown = false;
  let last = 0;
  return {
    update: (done, total) => {
      const now = Date.now();
      if (!active || total < 20 || (now - last < 100 && done < total)) return;
      last = now;
      shown = true;
      stream.write(`\rrender: ${done}/${total} environments`);
    },
    done: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseCli(argv, { env: { type: 'string', multiple: true }, check: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  const only = environmentNames(args.env);
  const target = args.out && !args.check ? path.resolve(process.cwd(), args.out) : root;
  if (args.out && (await stat(target).catch(() => undefined))?.isDirectory() === false) throw new UsageError(`--out ${args.out}: not a directory`);
  if (args.out) await mkdir(target, { recursive: true });
  const say = (s: string) => process.stderr.write(`render: ${s}\n`);
  const onWait = (o: { pid: number; command: string } | undefined) => say(`waiting for ${o ? `${o.command} (pid ${o.pid})` : 'another process'} to finish with ${target}`);
  return withLock(
    target,
    async (lock) => {
      const recovered = await recover(target);
      if (recovered.message) say(recovered.message);
      const progress = progressLine();
      const build = currentBuild();
      const cache = build ? await openRenderCache(target, REPO_ROOT, build) : undefined;
      const request = { root, components: COMPONENTS, only, validate: renderValidator, secrets: requiredSecrets, onProgress: progress.update, cache };
      if (args.check) {
        // Each environment is compared as soon as it is rendered, so none is held in memory.
        const drift: Drift[] = [];
        const compared = new Set<string>();
        const onFolder = async (folder: string, files: RenderedFile[]) => {
          drift.push(...(await folderDrift(root, folder, files)));
          compared.add(folder);
        };
        const result = await buildRender({ ...request, onFolder }).finally(progress.done);
        // The cache proved these folders hold exactly what a render writes for their current inputs.
        for (const name of result.unchanged) compared.add(`rendered/${name}`);
        for (const note of result.notes) say(note);
        drift.push(...(await findDrift(root, result, compared)));
        // The drift gate must never pass without having compared something.
        if (result.fileCount + result.unchanged.length === 0) throw new Error('the render produced no files, so there is nothing to compare');
        if (drift.length > 0) {
          process.stderr.write(`${formatDrift(sortDrift(drift))}\n`);
          return 1;
        }
        const proven = result.unchanged.length > 0 ? `, ${result.unchanged.length} environment folder${result.unchanged.length === 1 ? '' : 's'} proven unchanged by the render cache` : '';
        const which = result.environments.length > 10 ? `${result.environments.length} environments` : result.environments.join(', ');
        process.stdout.write(`render --check: rendered/ is up to date (${result.fileCount} files compared${proven}; ${which})\n`);
        return 0;
      }
      // Each environment is staged as soon as it is rendered and valid; nothing under the target changes
      // until the commit, after every environment has passed.
      const staging = await openStaging(target, { beforeCommit: lock.assertHeld });
      const streamed = new Set<string>();
      let result;
      try {
        const onFolder = async (folder: string, files: RenderedFile[]) => {
          await staging.add(files, folder);
          streamed.add(folder);
        };
        result = await buildRender({ ...request, onFolder }).finally(progress.done);
        for (const [folder, files] of result.plan.folders) if (!streamed.has(folder)) await staging.add(files, folder);
        await staging.add(result.plan.files);
        if (result.fileCount + result.unchanged.length === 0) throw new Error('the render produced no files, so there is nothing to write');
      } catch (e) {
        await staging.discard();
        throw e;
      }
      for (const note of result.notes) say(note);
      await staging.commit({ folders: [...result.plan.folders.keys()], files: result.plan.files.map((f) => f.path), remove: result.plan.remove });
      // Only after the commit: a kill before this leaves old entries, whose stamps no longer match.
      if (cache) {
        await cache.record(result.rendered, result.sources);
        if (result.full) await cache.prune(result.environments);
      }
      const files = result.fileCount;
      const skipped = result.unchanged.length > 0 ? ` (${result.unchanged.length} unchanged environment${result.unchanged.length === 1 ? '' : 's'} skipped)` : '';
      const which = result.environments.length > 10 ? `${result.environments.length} environments` : result.environments.join(', ');
      process.stdout.write(`rendered ${which}: ${files} files in ${path.relative(root, target) || '.'}${skipped}\n`);
      return 0;
    },
    { onWait, command: args.check ? 'npm run render -- --check' : 'npm run render' },
  );
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
