// A pull-request comment in the style of argocd-diff-preview, kept under GitHub's comment size limit.
import type { ObjectChange } from './compare.ts';
import { countChanges, type DiffReport, type Group } from './group.ts';
import { countsText, sideText, totalsText } from './text.ts';

/** Hidden first line a workflow searches for to update its one sticky comment instead of adding another. */
export const MARKER = '<!-- orocommerce-gitops-diff -->';

/** GitHub refuses comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Leaves room for a workflow to wrap the body (a link to the run, a timestamp) without crossing the limit. */
export const DEFAULT_MAX_CHARS = 60_000;

/** Below this not even the heading and the table of a small change fit. */
export const MIN_MAX_CHARS = 1_000;

const HEADING = '### Rendered manifests: what this change does to the clusters';

/** HTML text inside `<summary>`: names are DNS labels, but refs and paths are escaped all the same. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline code span that survives backticks in its text (a git ref may contain them). */
export function inlineCode(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/**
 * A fence longer than any backtick run in the block, so no diff line can close it early: a context
 * line ` ```` ` is a valid closing fence for a three-backtick block (up to three spaces of indent).
 */
export function fenceFor(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.flatMap((l) => l.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function objectBlock(c: ObjectChange): string {
  const fence = fenceFor(c.lines);
  return `${inlineCode(c.label)} ${c.change} · ${inlineCode(c.path)} · +${c.added} -${c.removed}\n\n${fence}diff\n${c.lines.join('\n')}\n${fence}\n\n`;
}

/** The truncation flag has a fixed length so a section's size is known before its objects are chosen. */
const PARTIAL = ' · ✂️ partial';

function sectionOpen(g: Group, partial: boolean): string {
  const c = countsText(g.counts);
  const title = g.kind === 'component' || g.kind === 'apps' ? `<code>${html(g.title)}</code>` : html(g.title);
  return `<details>\n<summary>${html(g.env)} · ${title} · objects ${c.objects} · lines ${c.lines}${partial ? PARTIAL : ''}</summary>\n\n`;
}

const SECTION_CLOSE = '</details>\n\n';

function tableRow(g: Group): string {
  const c = countsText(g.counts);
  const title = g.kind === 'component' || g.kind === 'apps' ? inlineCode(g.title) : g.title;
  return `| ${g.env} | ${title} | ${c.objects} | ${c.lines} |`;
}

function omissionFooter(report: DiffReport, omitted: readonly ObjectChange[], maxChars: number): string {
  if (omitted.length === 0) return '';
  const c = countChanges(omitted);
  return (
    `---\n:warning: **Truncated.** The diffs of ${omitted.length} object${omitted.length === 1 ? '' : 's'} (+${c.linesAdded} -${c.linesRemoved} lines) ` +
    `are left out to keep this comment under ${maxChars.toLocaleString('en-US')} characters; the table above still counts them. ` +
    `See everything locally: ${inlineCode(report.command)}\n`
  );
}

/** The header: marker, heading, totals, notes and the summary table (rows cut when even they do not fit). */
function header(report: DiffReport, room: number): string {
  const intro = [
    MARKER,
    HEADING,
    '',
    `Base ${inlineCode(sideText(report.base))} → head ${inlineCode(sideText(report.head))}: ${totalsText(report.groups)}.`,
    '',
    ...report.notes.map((n) => `> [!NOTE]\n> ${n}\n`),
    '| environment | application | objects +/~/- | lines +/- |',
    '|---|---|---|---|',
  ].join('\n');
  let out = `${intro}\n`;
  for (const [i, g] of report.groups.entries()) {
    const row = `${tableRow(g)}\n`;
    const rest = `| … | ${report.groups.length - i} more applications | | |\n`;
    if (out.length + row.length + rest.length > room) return `${out}${rest}\n`;
    out += row;
  }
  return `${out}\n`;
}

/**
 * Markdown for a PR comment, never longer than `maxChars`: whole objects are dropped (never a part of
 * one, so fences always close) once the budget is spent, and a footer says how much is missing.
 */
export function formatMarkdown(report: DiffReport, options: { maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (maxChars < MIN_MAX_CHARS) throw new RangeError(`a comment budget of ${maxChars} characters is below the minimum of ${MIN_MAX_CHARS}`);
  if (report.groups.length === 0) {
    const notes = report.notes.map((n) => `> [!NOTE]\n> ${n}\n\n`).join('');
    return fit(`${MARKER}\n${HEADING}\n\n${notes}No changes to rendered manifests between ${inlineCode(sideText(report.base))} and ${inlineCode(sideText(report.head))}.\n`, report, maxChars);
  }
  const everything = report.groups.flatMap((g) => g.changes);
  // Sized for the worst case (every object omitted), so the real footer always fits.
  const reserve = omissionFooter(report, everything, maxChars).length;
  let out = header(report, maxChars - reserve);
  const omitted: ObjectChange[] = [];
  for (const g of report.groups) {
    const blocks = g.changes.map((c) => ({ change: c, text: objectBlock(c) }));
    const shell = sectionOpen(g, true).length + SECTION_CLOSE.length;
    let body = '';
    let shown = 0;
    for (const b of blocks) {
      if (out.length + shell + body.length + b.text.length + reserve <= maxChars) {
        body += b.text;
        shown += 1;
      } else omitted.push(b.change);
    }
    if (shown > 0) out += sectionOpen(g, shown < blocks.length) + body + SECTION_CLOSE;
  }
  return fit(`${(out + omissionFooter(report, omitted, maxChars)).trimEnd()}\n`, report, maxChars);
}

/** The last resort when even the table does not fit (thousands of Applications): say so rather than exceed the budget. */
function fit(body: string, report: DiffReport, maxChars: number): string {
  if (body.length <= maxChars) return body;
  const short = `${MARKER}\nThe rendered-manifests diff is too large for a comment. See it locally: ${inlineCode(report.command)}\n`;
  return short.length <= maxChars ? short : `${MARKER}\n`;
}
