// Terminal rendering of a diff report: a summary table, then the unified diff of every changed object.
import type { ObjectChange } from './compare.ts';
import { classCounts, clusterName, fleetView, groupingLine, listEnvs, restartLine, type Cluster, type FleetView } from './fleet.ts';
import { withoutName } from './names.ts';
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

/** A group as a cluster shows it: its own names for one environment, `<env>` for several. */
export function clusterGroup(c: Cluster, g: Group): { env: string; title: string; folder: string } {
  const anonymous = c.envs.length > 1;
  return { env: clusterName(c), title: anonymous ? withoutName(g.title, g.env) : g.title, folder: anonymous ? withoutName(g.folder, g.env) : g.folder };
}

/** A change line as a cluster shows it (names set aside when it stands for several environments). */
export function clusterText(c: Cluster, g: Group, text: string): string {
  return c.envs.length > 1 ? withoutName(text, g.env) : text;
}

/** `2 objects (app.kubernetes.io/version: 6.1.6 → 6.1.7)`: the label-only changes of a cluster, in one line. */
export function labelsText(c: Cluster): string {
  return `${c.labels.count} object${c.labels.count === 1 ? '' : 's'} (${c.labels.transitions.join(', ')})`;
}

type Row = [string, string, string, string, string];

function tableRows(view: FleetView): Row[] {
  const row = (env: string, title: string, g: Group): Row => {
    const c = countsText(g.counts);
    return [env, title, c.objects, c.lines, classCounts(g.changes)];
  };
  return [
    ...view.clusters.flatMap((c) => c.groups.map((g) => row(clusterGroup(c, g).env, clusterGroup(c, g).title, g))),
    ...view.shared.map((g) => row(g.env, g.title, g)),
  ];
}

function table(view: FleetView): string[] {
  const rows: Row[] = [['ENVIRONMENT', 'APPLICATION', 'OBJECTS +/~/-', 'LINES +/-', 'CHANGES'], ...tableRows(view)];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ')}`.trimEnd());
}

export function changeHeading(c: ObjectChange): string {
  const what = c.change === 'changed' ? `changed · ${c.class}` : c.change;
  return `${MARK[c.change]} ${c.label}  ${c.path}  (${what}, +${c.added} -${c.removed})`;
}

export function formatText(report: DiffReport, options: { color: boolean }): string {
  const paint = painter(options.color);
  const title = `Rendered manifests: ${sideText(report.base)} → ${sideText(report.head)}`;
  const notes = report.notes.map((n) => paint(ANSI.yellow, `note: ${n}`));
  if (report.groups.length === 0) return [paint(ANSI.bold, title), ...notes, 'No changes to rendered manifests.', ''].join('\n');
  const view = fleetView(report.groups);
  const grouping = groupingLine(view);
  const out = [paint(ANSI.bold, title), ...notes, paint(ANSI.bold, restartLine(view)), ...(grouping ? [grouping] : []), totalsText(report.groups), '', ...table(view)];
  const labelled = view.clusters.filter((c) => c.labels.count > 0);
  if (labelled.length > 0) out.push('', ...labelled.map((c) => `labels only in ${clusterName(c)}: ${labelsText(c)}`));
  for (const c of view.clusters) {
    if (c.envs.length > 1) out.push('', paint(ANSI.bold, `══ ${clusterName(c)}, the same change in each: ${listEnvs(c.envs, 12)} ══`), `(shown for ${c.envs[0]}, its name written <env>)`);
    for (const g of c.groups) out.push(...groupText(g, paint, (t) => clusterText(c, g, t), clusterGroup(c, g)));
  }
  for (const g of view.shared) out.push(...groupText(g, paint, (t) => t, g));
  return `${out.join('\n')}\n`;
}

function groupText(g: Group, paint: Paint, name: (s: string) => string, shown: { env: string; title: string; folder: string }): string[] {
  const out = ['', paint(ANSI.bold, `── ${shown.env} · ${shown.title} (${shown.folder}) ──`)];
  for (const c of g.changes) {
    out.push('', paint(ANSI.bold, name(changeHeading(c))));
    out.push(...c.lines.map((l) => diffLine(name(l), paint)));
  }
  return out;
}
