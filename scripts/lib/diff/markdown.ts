// A pull-request comment in the style of argocd-diff-preview, kept under GitHub's comment size limit.
import type { ObjectChange } from './compare.ts';
import { classCounts, clusterName, fleetView, groupingLine, listEnvs, restartLine, type Cluster, type FleetView } from './fleet.ts';
import { countChanges, type DiffReport, type Group } from './group.ts';
import { clusterGroup, clusterText, countsText, labelsText, sideText, totalsText } from './text.ts';

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

/** One group of a cluster as the comment shows it: names of a multi-environment cluster written `<env>`. */
interface Section {
  cluster: Cluster;
  group: Group;
  shown: { env: string; title: string; folder: string };
  name: (s: string) => string;
}

function sections(view: FleetView): Section[] {
  return [
    ...view.clusters.flatMap((cluster) => cluster.groups.map((group) => ({ cluster, group, shown: clusterGroup(cluster, group), name: (t: string) => clusterText(cluster, group, t) }))),
    ...view.shared.map((group) => ({ cluster: { envs: [], groups: [group], labels: { count: 0, transitions: [] } }, group, shown: group, name: (t: string) => t })),
  ];
}

function objectBlock(c: ObjectChange, name: (s: string) => string): string {
  const lines = c.lines.map(name);
  const fence = fenceFor(lines);
  const what = c.change === 'changed' ? `changed · **${c.class}**` : `**${c.change}**`;
  return `${inlineCode(c.label)} ${what} · ${inlineCode(name(c.path))} · +${c.added} -${c.removed}\n\n${fence}diff\n${lines.join('\n')}\n${fence}\n\n`;
}

/** The truncation flag has a fixed length so a section's size is known before its objects are chosen. */
const PARTIAL = ' · ✂️ partial';

function isApplication(g: Group): boolean {
  return g.kind === 'component' || g.kind === 'apps';
}

function sectionOpen(s: Section, partial: boolean): string {
  const c = countsText(s.group.counts);
  const title = isApplication(s.group) ? `<code>${html(s.shown.title)}</code>` : html(s.shown.title);
  const envs = s.cluster.envs.length > 1 ? `The same in ${html(listEnvs(s.cluster.envs, 20))}; shown for ${html(s.cluster.envs[0]!)}, its name written \`<env>\`.\n\n` : '';
  return `<details>\n<summary>${html(s.shown.env)} · ${title} · objects ${c.objects} · lines ${c.lines}${partial ? PARTIAL : ''}</summary>\n\n${envs}`;
}

const SECTION_CLOSE = '</details>\n\n';

const LIST_SLACK = 200;

function tableRow(s: Section): string {
  const c = countsText(s.group.counts);
  const title = isApplication(s.group) ? inlineCode(s.shown.title) : s.shown.title;
  return `| ${s.shown.env} | ${title} | ${c.objects} | ${c.lines} | ${classCounts(s.group.changes)} |`;
}

function omissionFooter(report: DiffReport, omitted: readonly ObjectChange[], cutRows: number, maxChars: number): string {
  if (omitted.length === 0 && cutRows === 0) return '';
  const c = countChanges(omitted);
  const rows = cutRows > 0 ? `${cutRows} rows of the tables above and ` : '';
  return (
    `---\n:warning: **Truncated.** ${rows}the diffs of ${omitted.length} object${omitted.length === 1 ? '' : 's'} (+${c.linesAdded} -${c.linesRemoved} lines) ` +
    `are left out to keep this comment under ${maxChars.toLocaleString('en-US')} characters; the totals above still count them. ` +
    `See everything locally: ${inlineCode(report.command)}\n`
  );
}

/** The header: marker, heading, what restarts where, grouping, totals, notes, the table and the label lines (rows cut when they do not fit). */
function header(report: DiffReport, view: FleetView, all: readonly Section[], room: number): { text: string; cutRows: number } {
  const grouping = groupingLine(view);
  const intro = [
    MARKER,
    HEADING,
    '',
    `**${restartLine(view)}**`,
    ...(grouping ? ['', grouping] : []),
    '',
    `Base ${inlineCode(sideText(report.base))} → head ${inlineCode(sideText(report.head))}: ${totalsText(report.groups)}.`,
    '',
    ...report.notes.map((n) => `> [!NOTE]\n> ${n}\n`),
    '| environment | application | objects +/~/- | lines +/- | changes |',
    '|---|---|---|---|---|',
  ].join('\n');
  let out = `${intro}\n`;
  let cutRows = 0;
  const rows = all.map((s) => `${tableRow(s)}\n`);
  for (const [i, row] of rows.entries()) {
    const rest = `| … | ${rows.length - i} more rows | | | |\n`;
    if (out.length + row.length + rest.length > room) {
      out += rest;
      cutRows += rows.length - i;
      break;
    }
    out += row;
  }
  const labelled = view.clusters.filter((c) => c.labels.count > 0);
  if (labelled.length > 0) {
    out += '\n**Labels only** (one line per environment; no diff shown):\n\n';
    for (const [i, c] of labelled.entries()) {
      const line = `- ${clusterName(c)}${c.envs.length > 1 ? ` (${listEnvs(c.envs, 3)})` : ''}: ${inlineCode(labelsText(c))}\n`;
      const rest = `- … ${labelled.length - i} more\n`;
      if (out.length + line.length + rest.length > room) {
        out += rest;
        cutRows += labelled.length - i;
        break;
      }
      out += line;
    }
  }
  return { text: `${out}\n`, cutRows };
}

/**
 * Markdown for a PR comment, never longer than `maxChars`: environments with the same change are
 * shown once; whole objects are dropped (never a part of one, so fences always close) once the budget
 * is spent, and a footer says how much is missing and how to see it.
 */
export function formatMarkdown(report: DiffReport, options: { maxChars?: number } = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (maxChars < MIN_MAX_CHARS) throw new RangeError(`a comment budget of ${maxChars} characters is below the minimum of ${MIN_MAX_CHARS}`);
  if (report.groups.length === 0) {
    const notes = report.notes.map((n) => `> [!NOTE]\n> ${n}\n\n`).join('');
    return fit(`${MARKER}\n${HEADING}\n\n${notes}No changes to rendered manifests between ${inlineCode(sideText(report.base))} and ${inlineCode(sideText(report.head))}.\n`, report, maxChars);
  }
  const view = fleetView(report.groups);
  const all = sections(view);
  const everything = all.flatMap((s) => s.group.changes);
  // Sized for the worst case (every object and row omitted), so the real footer always fits.
  const reserve = omissionFooter(report, everything, all.length + view.clusters.length, maxChars).length;
  // The label heading and each list's `… more` line are added after a row is refused: keep room for them.
  const head = header(report, view, all, maxChars - reserve - LIST_SLACK);
  let out = head.text;
  const omitted: ObjectChange[] = [];
  for (const s of all) {
    const blocks = s.group.changes.map((c) => ({ change: c, text: objectBlock(c, s.name) }));
    const shell = sectionOpen(s, true).length + SECTION_CLOSE.length;
    let body = '';
    let shown = 0;
    for (const b of blocks) {
      if (out.length + shell + body.length + b.text.length + reserve <= maxChars) {
        body += b.text;
        shown += 1;
      } else omitted.push(b.change);
    }
    if (shown > 0) out += sectionOpen(s, shown < blocks.length) + body + SECTION_CLOSE;
  }
  return fit(`${(out + omissionFooter(report, omitted, head.cutRows, maxChars)).trimEnd()}\n`, report, maxChars);
}

/** The last resort when even the table does not fit (thousands of Applications): say so rather than exceed the budget. */
function fit(body: string, report: DiffReport, maxChars: number): string {
  if (body.length <= maxChars) return body;
  const short = `${MARKER}\nThe rendered-manifests diff is too large for a comment. See it locally: ${inlineCode(report.command)}\n`;
  return short.length <= maxChars ? short : `${MARKER}\n`;
}
