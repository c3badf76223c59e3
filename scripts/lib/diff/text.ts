// Terminal rendering of a diff report: a summary table, then the unified diff of every changed object.
import type { ObjectChange } from './compare.ts';
import { countChanges, type Counts, type DiffReport, type Group, type Side } from './group.ts';

/** Colour only for a person at a terminal; NO_COLOR (any non-empty value, see no-color.org) turns it off. */
export function useColor(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY === true && !env.NO_COLOR;
}

type Paint = (code: string, s: string) => string;

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;

function painter(color: boolean): Paint {
  return color ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s;
}

export function sideText(s: Side): string {
  return s.detail ? `${s.label} (${s.detail})` : s.label;
}

export function countsText(c: Counts): { objects: string; lines: string } {
  return { objects: `+${c.added} ~${c.changed} -${c.removed}`, lines: `+${c.linesAdded} -${c.linesRemoved}` };
}

/** `4 objects in 2 applications (+3 ~1 -0), +12 -5 lines`. */
export function totalsText(groups: readonly Group[]): string {
  const all = countChanges(groups.flatMap((g) => g.changes));
  const objects = all.added + all.changed + all.removed;
  const { objects: o, lines } = countsText(all);
  return `${objects} object${objects === 1 ? '' : 's'} in ${groups.length} application${groups.length === 1 ? '' : 's'} (${o}), ${lines} lines`;
}

const MARK: Record<ObjectChange['change'], string> = { added: '+', changed: '~', removed: '-' };

function diffLine(line: string, paint: Paint): string {
  if (line.startsWith('@@')) return paint(ANSI.cyan, line);
  if (line.startsWith('+')) return paint(ANSI.green, line);
  if (line.startsWith('-')) return paint(ANSI.red, line);
  if (line.startsWith('\\')) return paint(ANSI.dim, line);
  return line;
}

function table(groups: readonly Group[]): string[] {
  const rows = [
    ['ENVIRONMENT', 'APPLICATION', 'OBJECTS +/~/-', 'LINES +/-'],
    ...groups.map((g) => {
      const c = countsText(g.counts);
      return [g.env, g.title, c.objects, c.lines];
    }),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`.trimEnd());
}

export function formatText(report: DiffReport, options: { color: boolean }): string {
  const paint = painter(options.color);
  const title = `Rendered manifests: ${sideText(report.base)} → ${sideText(report.head)}`;
  const notes = report.notes.map((n) => paint(ANSI.yellow, `note: ${n}`));
  if (report.groups.length === 0) return [paint(ANSI.bold, title), ...notes, 'No changes to rendered manifests.', ''].join('\n');
  const out = [paint(ANSI.bold, title), ...notes, totalsText(report.groups), '', ...table(report.groups)];
  for (const g of report.groups) {
    out.push('', paint(ANSI.bold, `── ${g.env} · ${g.title} (${g.folder}) ──`));
    for (const c of g.changes) {
      out.push('', paint(ANSI.bold, `${MARK[c.change]} ${c.label}  ${c.path}  (${c.change}, +${c.added} -${c.removed})`));
      out.push(...c.lines.map((l) => diffLine(l, paint)));
    }
  }
  return `${out.join('\n')}\n`;
}
