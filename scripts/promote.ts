// `npm run promote`: copy the image and chart versions one environment runs into another's file, then re-render it.
import { isMain, parseCli, REPO_ROOT, runMain, UsageError, wantsHelp } from './lib/cli.ts';
import { runRender } from './lib/diff/render-process.ts';
import { PROMOTION_KINDS, type PromotionKind } from './lib/promote/plan.ts';
import { formatPromotion } from './lib/promote/report.ts';
import { promote, PromotionError } from './lib/promote/run.ts';

const USAGE = `usage: npm run promote -- --from ENV --to TARGET... [--batch N] [--only image|chart]

Copies what --from runs into each target's environments/<name>.yaml, then re-renders the targets, so
a promotion is a reviewed commit (the environment files and rendered/ together):
  images   oro.image and oro.initImage, plus every other image setting {repository, tag, digest}
           the --from file (or a profile it extends) sets: tag and digest (repositories are not promoted)
  charts   every chartVersion (monitoring.stack.chartVersion)
Values are compared after defaults apply; only those that differ are written. Comments, order and
quoting of the target file are kept; a key added to it gets the source's "# renovate:" line.

  --from ENV          environment to promote from (e.g. staging)
  --to TARGET         environments to update, repeatable or comma-separated, in this order: a name
                      (prod), a glob ('prod-*', quoted) or a profile (profiles/prod: every
                      environment that extends it); a target set without any environment is refused
  --batch N           commit every N targets, one commit per batch, in --to order (put a canary
                      first: --to prod-canary --to 'prod-*'); needs a checkout without uncommitted changes
  --only image|chart  promote only images or only chart versions

exit codes: 0 promoted, 1 refused (unknown or empty target, nothing to promote) or a render failed
(that batch's files are then restored; earlier batches stay committed), 2 usage error, 3 bug,
4 file-system error, 5 a render holds the lock

examples: npm run promote -- --from staging --to prod && npm run diff -- --base HEAD
          npm run promote -- --from staging --to shop-canary --to 'shop-*' --batch 50`;

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
  const args = parseCli(argv, { from: { type: 'string' }, to: { type: 'string', multiple: true }, only: { type: 'string' }, batch: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const to = (args.to ?? []).flatMap((t) => t.split(',')).filter(Boolean);
  if (!args.from || to.length === 0) throw new UsageError(`--from and --to are required\n\n${USAGE}`);
  if (args.only !== undefined && !PROMOTION_KINDS.includes(args.only as PromotionKind)) {
    throw new UsageError(`--only must be ${PROMOTION_KINDS.join(' or ')}, not "${args.only}"\n\n${USAGE}`);
  }
  const batch = args.batch === undefined ? undefined : Number(args.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) throw new UsageError(`--batch must be a whole number of environments, at least 1, not "${args.batch}"\n\n${USAGE}`);
  try {
    const result = await promote({
      root,
      from: args.from,
      to,
      only: args.only as PromotionKind | undefined,
      batch,
      render: (repo, envs) => runRender(repo, repo, envs.flatMap((env) => ['--env', env])),
    });
    io.stdout(formatPromotion(args.from, result, batch !== undefined));
    return 0;
  } catch (e) {
    if (!(e instanceof PromotionError)) throw e;
    io.stderr(`promote ${args.from} → ${to.join(', ')}: ${e.message}\n`);
    return 1;
  }
}

if (isMain(import.meta.url)) await runMain(main);
