// `npm run promote`: copy the image and chart versions one environment runs into another's file, then re-render it.
import { isMain, parseCli, REPO_ROOT, reportError, UsageError, wantsHelp } from './lib/cli.ts';
import { runRender } from './lib/diff/render-process.ts';
import { describeChange, PROMOTION_KINDS, type PromotionKind } from './lib/promote/plan.ts';
import { promote, PromotionError } from './lib/promote/run.ts';

const USAGE = `usage: npm run promote -- --from ENV --to ENV [--only image|chart]

Copies what --from runs into environments/<to>.yaml, then re-renders <to>, so a promotion is one
reviewed commit (the environment file and rendered/ together):
  images   oro.image and oro.initImage, plus every other image setting {repository, tag, digest}
           the --from file sets: tag and digest (repositories are not promoted)
  charts   every chartVersion (monitoring.stack.chartVersion)
Values are compared after defaults apply; only those that differ are written. Comments, order and
quoting of the target file are kept; a key added to it gets the source's "# renovate:" line.

  --from ENV          environment to promote from (e.g. staging)
  --to ENV            environment file to update (e.g. prod)
  --only image|chart  promote only images or only chart versions

exit codes: 0 promoted, 1 refused (unknown or same environment, nothing to promote) or the render
failed (the file is then restored), 2 usage error, 3 bug, 4 file-system error, 5 a render holds the lock

example: npm run promote -- --from staging --to prod && npm run diff -- --base HEAD`;

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
}

const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export async function main(argv: readonly string[], root = REPO_ROOT, io: Io = processIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const args = parseCli(argv, { from: { type: 'string' }, to: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!args.from || !args.to) throw new UsageError(`--from and --to are required\n\n${USAGE}`);
  if (args.only !== undefined && !PROMOTION_KINDS.includes(args.only as PromotionKind)) {
    throw new UsageError(`--only must be ${PROMOTION_KINDS.join(' or ')}, not "${args.only}"\n\n${USAGE}`);
  }
  try {
    const result = await promote({
      root,
      from: args.from,
      to: args.to,
      only: args.only as PromotionKind | undefined,
      render: (repo, env) => runRender(repo, repo, ['--env', env]),
    });
    io.stdout(
      [
        `promoted ${args.from} → ${args.to} (${result.file}):`,
        ...result.changes.map((c) => `  ${describeChange(c)}`),
        ...result.warnings.map((w) => `warning: ${w}`),
        result.renderOutput,
        `Review with \`git diff\` (or \`npm run diff -- --base HEAD\`), then commit ${result.file} and rendered/ together.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (e) {
    if (!(e instanceof PromotionError)) throw e;
    io.stderr(`promote ${args.from} → ${args.to}: ${e.message}\n`);
    return 1;
  }
}

if (isMain(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.exitCode = reportError(e);
  }
}
