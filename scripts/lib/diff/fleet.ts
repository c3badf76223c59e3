// Fleet view of a diff: environments with the same change form one cluster, shown once; which workloads restart where.
import type { ObjectChange } from './compare.ts';
import { CLASS_ORDER, type ChangeClass } from './classify.ts';
import { countChanges, SHARED, type Group } from './group.ts';
import { nameWord } from './names.ts';

/** Environments whose changes are identical once each one's own name is set aside, shown through the first of them. */
export interface Cluster {
  envs: string[];
  /** The first environment's groups without its label-only changes (those are `labels`). */
  groups: Group[];
  /** Objects whose only change is their labels, and the label transitions seen (`app.kubernetes.io/version: 6.1.6 → 6.1.7`). */
  labels: { count: number; transitions: string[] };
}

export interface FleetView {
  clusters: Cluster[];
  /** Files every environment shares (rendered/argocd, kustomization.yaml, rendered/README.md). */
  shared: Group[];
  /** `Deployment/webserver` → the environments where its pods restart. */
  restarts: Map<string, string[]>;
}

/**
 * A checksum annotation (`orocommerce.io/config-checksum: 6f1c…`) hashes a config that holds the
 * environment's own values, so it differs in every environment even for the same change.
 */
const CHECKSUM_LINE = /^([+-]\s*[\w./-]*(?:checksum|hash)[\w./-]*:\s*)[0-9a-f]{16,}\s*$/i;

/** The changed lines only (context differs with each environment's own values), names and checksums set aside. */
function signature(env: string, groups: readonly Group[]): string {
  const word = nameWord(env);
  return groups
    .flatMap((g) => g.changes)
    .map((c) => [c.path, c.change, ...c.lines.filter((l) => l.startsWith('+') || l.startsWith('-')).map((l) => l.replace(CHECKSUM_LINE, '$1<checksum>'))].join('\n').replace(word, '<env>'))
    .join('\0');
}

/** `app.kubernetes.io/version: 6.1.6 → 6.1.7` from a label-only diff's removed and added lines. */
function labelTransitions(changes: readonly ObjectChange[]): string[] {
  const out = new Set<string>();
  for (const c of changes) {
    const removed = new Map<string, string>();
    const added = new Map<string, string>();
    for (const l of c.lines) {
      const m = /^([+-])\s+([^:\s][^:]*):\s*(.*)$/.exec(l);
      if (m) (m[1] === '-' ? removed : added).set(m[2]!, m[3]!);
    }
    for (const key of new Set([...removed.keys(), ...added.keys()])) out.add(`${key}: ${removed.get(key) ?? '(none)'} → ${added.get(key) ?? '(removed)'}`);
  }
  return [...out].sort();
}

export function fleetView(groups: readonly Group[]): FleetView {
  const byEnv = new Map<string, Group[]>();
  const shared: Group[] = [];
  for (const g of groups) {
    if (g.env === SHARED) shared.push(g);
    else byEnv.set(g.env, [...(byEnv.get(g.env) ?? []), g]);
  }
  const bySignature = new Map<string, string[]>();
  for (const [env, list] of byEnv) {
    const key = signature(env, list);
    bySignature.set(key, [...(bySignature.get(key) ?? []), env]);
  }
  const restarts = new Map<string, string[]>();
  for (const [env, list] of byEnv) {
    for (const c of list.flatMap((g) => g.changes)) if (c.class === 'restart') restarts.set(c.label, [...(restarts.get(c.label) ?? []), env]);
  }
  const clusters = [...bySignature.values()].map((envs) => {
    const first = byEnv.get(envs[0]!)!;
    const labelOnly = first.flatMap((g) => g.changes.filter((c) => c.labelsOnly));
    const kept = first
      .map((g) => ({ ...g, changes: g.changes.filter((c) => !c.labelsOnly) }))
      .filter((g) => g.changes.length > 0)
      .map((g) => ({ ...g, counts: countChanges(g.changes) }));
    return { envs, groups: kept, labels: { count: labelOnly.length, transitions: labelTransitions(labelOnly) } };
  });
  clusters.sort((a, b) => b.envs.length - a.envs.length || (a.envs[0]! < b.envs[0]! ? -1 : 1));
  return { clusters, shared, restarts };
}

/** `a, b, c` or `a, b, c, … and 494 more`. */
export function listEnvs(envs: readonly string[], max = 6): string {
  return envs.length <= max ? envs.join(', ') : `${envs.slice(0, max).join(', ')}, … and ${envs.length - max} more`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `prod` for one environment, `497 environments` for more. */
export function clusterName(c: Cluster): string {
  return c.envs.length === 1 ? c.envs[0]! : plural(c.envs.length, 'environment');
}

/** The one-line answer to "which workloads restart where". */
export function restartLine(view: FleetView): string {
  if (view.restarts.size === 0) return 'Restarts pods: none (no Deployment, StatefulSet or DaemonSet pod template changes).';
  const byEnvSet = new Map<string, { envs: string[]; workloads: string[] }>();
  for (const [workload, envs] of [...view.restarts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = envs.join(',');
    const entry = byEnvSet.get(key) ?? { envs, workloads: [] };
    entry.workloads.push(workload);
    byEnvSet.set(key, entry);
  }
  const parts = [...byEnvSet.values()]
    .sort((a, b) => b.envs.length - a.envs.length)
    .map(({ envs, workloads }) => `${workloads.join(', ')} in ${envs.length <= 3 ? envs.join(', ') : `${plural(envs.length, 'environment')} (${listEnvs(envs, 3)})`}`);
  return `Restarts pods: ${parts.join('; ')}.`;
}

/** `Same change in 497 environments; 3 differ: a, b, c.`, or undefined when there is nothing to group. */
export function groupingLine(view: FleetView): string | undefined {
  const envCount = view.clusters.reduce((n, c) => n + c.envs.length, 0);
  if (envCount < 2) return undefined;
  const [largest, ...rest] = view.clusters;
  if (largest!.envs.length === 1) return `${envCount} environments change, each differently.`;
  const others = rest.flatMap((c) => c.envs).sort();
  return others.length === 0
    ? `Same change in all ${envCount} environments.`
    : `Same change in ${largest!.envs.length} environments; ${others.length} differ: ${listEnvs(others)}.`;
}

/** `2 restart · 1 config · 30 labels only` for a cluster or group's changes. */
export function classCounts(changes: readonly ObjectChange[]): string {
  const counts = new Map<ChangeClass, number>();
  for (const c of changes) counts.set(c.class, (counts.get(c.class) ?? 0) + 1);
  return CLASS_ORDER.filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k}`)
    .join(' · ');
}
