// `npm run affected` output: a table for people, JSON for CI matrices.
import type { Affected } from './compute.ts';

/** `{ environments: [...], applications: [{environment, folder}], shared, reasons }`: `fromJSON(...).environments` feeds a matrix. */
export function affectedJson(a: Affected, sides: { base: string; head: string }): string {
  return `${JSON.stringify(
    {
      base: sides.base,
      head: sides.head,
      environments: a.environments.map((e) => e.name),
      applications: a.environments.flatMap((e) => e.folders.map((folder) => ({ environment: e.name, folder }))),
      shared: a.shared,
      reasons: Object.fromEntries(a.environments.map((e) => [e.name, e.reasons])),
    },
    null,
    2,
  )}\n`;
}

export function affectedText(a: Affected, sides: { base: string; head: string }, allFolders: readonly string[]): string {
  const head = `affected by ${sides.base} → ${sides.head}: ${a.environments.length} environment${a.environments.length === 1 ? '' : 's'}${a.shared.length > 0 ? ' and the shared Argo CD config' : ''}`;
  const width = Math.max(0, ...a.environments.map((e) => e.name.length));
  const rows = a.environments.map((e) => {
    const folders = e.folders.length === allFolders.length ? 'everything' : e.folders.join(', ');
    return `  ${e.name.padEnd(width)}  ${folders}  (${e.reasons.slice(0, 3).join('; ')}${e.reasons.length > 3 ? `; … ${e.reasons.length - 3} more` : ''})`;
  });
  const shared = a.shared.length > 0 ? [`  shared: ${a.shared.join(', ')}`] : [];
  return `${[head, ...rows, ...shared].join('\n')}\n`;
}
