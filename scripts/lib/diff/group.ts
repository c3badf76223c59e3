// Groups object changes the way Argo CD sees them: per environment, per Application (one per rendered folder).
import type { ObjectChange } from './compare.ts';

/** Environment column of the files every environment shares (rendered/argocd, kustomization.yaml). */
export const SHARED = '(shared)';

export type GroupKind = 'bootstrap' | 'apps' | 'component' | 'argocd' | 'other';

export interface Counts {
  added: number;
  changed: number;
  removed: number;
  linesAdded: number;
  linesRemoved: number;
}

export interface Group {
  env: string;
  kind: GroupKind;
  /** The folder (or file) the group stands for, e.g. `rendered/prod/web`. */
  folder: string;
  /** What applies it: the Application name, or how the files reach the cluster. */
  title: string;
  changes: ObjectChange[];
  counts: Counts;
}

/** One side of the comparison, as the report names it. */
export interface Side {
  /** The ref as given (`origin/main`), or `working tree`. */
  label: string;
  /** Abbreviated commit, plus ` + uncommitted changes` for a dirty working tree. */
  detail: string;
}

export interface DiffReport {
  base: Side;
  head: Side;
  groups: Group[];
  /** Caveats about how the sides were rendered (e.g. a different package-lock.json). */
  notes: string[];
  /** The command that reproduces the full report locally. */
  command: string;
}

interface Placement {
  env: string;
  kind: GroupKind;
  folder: string;
  title: string;
}

/** Where a rendered path belongs: `rendered/<env>/<component>/…` is synced by `orocommerce-<env>-<component>`. */
export function classify(path: string): Placement {
  const parts = path.split('/');
  if (path === 'kustomization.yaml') return { env: SHARED, kind: 'bootstrap', folder: path, title: 'kustomization.yaml (kubectl apply -k .)' };
  if (parts[0] !== 'rendered' || parts.length < 3) return { env: SHARED, kind: 'other', folder: parts.slice(0, -1).join('/') || '.', title: 'other files' };
  if (parts[1] === 'argocd') return { env: SHARED, kind: 'argocd', folder: 'rendered/argocd', title: 'Argo CD config' };
  const env = parts[1]!;
  if (parts.length < 4) return { env, kind: 'other', folder: `rendered/${env}`, title: 'other files' };
  const folder = `rendered/${env}/${parts[2]}`;
  if (parts[2] === 'bootstrap') return { env, kind: 'bootstrap', folder, title: 'bootstrap (kubectl apply -k .)' };
  if (parts[2] === 'apps') return { env, kind: 'apps', folder, title: `orocommerce-${env}` };
  return { env, kind: 'component', folder, title: `orocommerce-${env}-${parts[2]}` };
}

const KIND_ORDER: readonly GroupKind[] = ['bootstrap', 'apps', 'component', 'argocd', 'other'];

function compareGroups(a: Group, b: Group): number {
  const env = Number(a.env === SHARED) - Number(b.env === SHARED) || (a.env < b.env ? -1 : a.env > b.env ? 1 : 0);
  const kind = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  return env || kind || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0);
}

export function countChanges(changes: readonly ObjectChange[]): Counts {
  return changes.reduce<Counts>(
    (c, o) => ({
      added: c.added + Number(o.change === 'added'),
      changed: c.changed + Number(o.change === 'changed'),
      removed: c.removed + Number(o.change === 'removed'),
      linesAdded: c.linesAdded + o.added,
      linesRemoved: c.linesRemoved + o.removed,
    }),
    { added: 0, changed: 0, removed: 0, linesAdded: 0, linesRemoved: 0 },
  );
}

/** Environments first (alphabetically), shared files last; in an environment: bootstrap, the root app, then components. */
export function groupChanges(changes: readonly ObjectChange[]): Group[] {
  const byFolder = new Map<string, { placement: Placement; changes: ObjectChange[] }>();
  for (const change of changes) {
    const placement = classify(change.path);
    const key = `${placement.env}\0${placement.folder}`;
    const entry = byFolder.get(key) ?? { placement, changes: [] };
    entry.changes.push(change);
    byFolder.set(key, entry);
  }
  return [...byFolder.values()]
    .map(({ placement, changes: list }) => ({ ...placement, changes: list, counts: countChanges(list) }))
    .sort(compareGroups);
}

/** Environments a rendered tree holds (`rendered/<env>/…`), Argo CD's shared folder aside. */
export function environmentsOf(paths: Iterable<string>): string[] {
  const envs = new Set<string>();
  for (const p of paths) {
    const { env } = classify(p);
    if (env !== SHARED) envs.add(env);
  }
  return [...envs].sort();
}

/** Keeps one environment's groups and the shared ones, which affect every environment. */
export function onlyEnvironment(groups: readonly Group[], env: string): Group[] {
  return groups.filter((g) => g.env === env || g.env === SHARED);
}
