// `npm run diff`: what a change does to the clusters, per environment and Argo CD Application; a report, so exit 0 either way.
import { isMain, parseCli, REPO_ROOT, runMain, UsageError, wantsHelp } from './lib/cli.ts';
import { DEFAULT_MAX_CHARS, formatMarkdown, GITHUB_COMMENT_LIMIT, MIN_MAX_CHARS } from './lib/diff/markdown.ts';
import { buildReport } from './lib/diff/report.ts';
import { renderSides, RenderFailed } from './lib/diff/sides.ts';
import { formatText, useColor } from './lib/diff/text.ts';

const USAGE = `usage: npm run diff -- --base REF [--head REF] [--format text|markdown] [--env NAME] [--max-chars N]

Renders both sides from their own sources (each in a temporary git worktree, removed afterwards) and
reports what would change on the clusters: which workloads restart where, environments with the same
change grouped, a summary per Argo CD Application with each change classified (restart, config,
scaling, metadata, added, removed), label-only changes in one line, then a unified diff per changed
object. Offline, no cluster needed. Both sides render with this checkout's node_modules; the report
says so when a side's package-lock.json differs.

  --base REF       branch, tag or commit to compare against (e.g. origin/main)
  --head REF       branch, tag or commit to compare; by default the working tree as it is,
                   uncommitted changes included
  --format F       text (default; coloured on a terminal unless NO_COLOR is set) or markdown
                   (a pull-request comment with a hidden marker for a sticky comment)
  --env NAME       only this environment (files shared by every environment are always shown)
  --max-chars N    markdown size budget, ${MIN_MAX_CHARS} to ${GITHUB_COMMENT_LIMIT} (GitHub's limit; default ${DEFAULT_MAX_CHARS}):
                   whole objects are left out beyond it, and the comment says so

exit codes: 0 report printed (changes or not), 1 a side failed to render, 2 usage error, 3 bug,
            4 file-system error, 141 the reader closed the pipe (npm run diff | head)

example: npm run diff -- --base origin/main
         npm run -s diff -- --base origin/main --head HEAD --format markdown > diff.md
         (-s keeps npm's own banner out of the file)`;

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  color: boolean;
}

const processIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: useColor(process.stdout.isTTY, process.env),
});

/** Quotes a ref for the "see it locally" command only when the shell would otherwise split or expand it. */
function shellWord(s: string): string {
  return /^[\w./@^~:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function main(argv: readonly string[], root = REPO_ROOT, io: Io = processIo()): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const args = parseCli(
    argv,
    {
      base: { type: 'string' },
      head: { type: 'string' },
      format: { type: 'string', default: 'text' },
      env: { type: 'string' },
      'max-chars': { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!args.base) throw new UsageError(`--base is required\n\n${USAGE}`);
  if (args.format !== 'text' && args.format !== 'markdown') throw new UsageError(`--format must be text or markdown, not "${args.format}"\n\n${USAGE}`);
  const maxChars = args['max-chars'] === undefined ? DEFAULT_MAX_CHARS : Number(args['max-chars']);
  if (!Number.isInteger(maxChars) || maxChars < MIN_MAX_CHARS || maxChars > GITHUB_COMMENT_LIMIT) {
    throw new UsageError(`--max-chars must be an integer from ${MIN_MAX_CHARS} to ${GITHUB_COMMENT_LIMIT}, not "${args['max-chars']}"\n\n${USAGE}`);
  }
  const command = ['npm run diff --', '--base', shellWord(args.base), ...(args.head ? ['--head', shellWord(args.head)] : []), ...(args.env ? ['--env', shellWord(args.env)] : [])].join(' ');
  let sides;
  try {
    sides = await renderSides({ root, base: args.base, head: args.head });
  } catch (e) {
    if (!(e instanceof RenderFailed)) throw e;
    io.stderr(`${e.message}\n\nNo report: fix the render of that side (try \`npm run render\` on it) and run the diff again.\n`);
    return 1;
  }
  const report = buildReport({
    base: sides.base.side,
    head: sides.head.side,
    baseFiles: sides.base.files,
    headFiles: sides.head.files,
    env: args.env,
    notes: sides.notes,
    command,
  });
  io.stdout(args.format === 'markdown' ? formatMarkdown(report, { maxChars }) : formatText(report, { color: io.color }));
  return 0;
}

if (isMain(import.meta.url)) await runMain(main);
