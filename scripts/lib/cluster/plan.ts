// Which rendered objects of an environment go to which cluster, and in what order: the component's sync
// wave (from its Application), then the object's own sync wave, then Argo CD's kind order, then name.
import type { KubernetesObject } from '../k8s.ts';
import type { RenderedDoc } from '../validate/types.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Argo CD's apply order for kinds within one wave (gitops-engine `kindOrder`, after Helm's install order):
 * a namespace before what lives in it, accounts and config before the pods that use them.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList',
  'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];

/** Where an object is applied: Argo CD's own cluster (Applications, AppProject, argocd-cm) or the environment's workload cluster. */
export type Target = 'argocd' | 'workload';

export interface PlannedObject {
  file: string;
  component: string;
  /** The wave of the Application that syncs it (`-1` for bootstrap objects, applied before any wave). */
  wave: number;
  target: Target;
  object: KubernetesObject;
}

export function waveOf(o: KubernetesObject): number {
  const raw = o.metadata.annotations?.[WAVE];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isFinite(n) ? n : 0;
}

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i === -1 ? KIND_ORDER.length : i;
}

/** The rendered folder (`rendered/<env>/<component>`) each child Application syncs, mapped to its wave. */
export function componentWaves(docs: readonly RenderedDoc[]): Map<string, number> {
  const waves = new Map<string, number>();
  for (const d of docs) {
    if (d.object.kind !== 'Application' || d.component !== 'apps') continue;
    const spec = d.object.spec as { source?: { path?: string }; sources?: { path?: string }[] } | undefined;
    for (const src of [spec?.source, ...(spec?.sources ?? [])]) {
      const folder = src?.path?.split('/').pop();
      if (folder) waves.set(folder, waveOf(d.object));
    }
  }
  return waves;
}

/** Compares two objects the way Argo CD orders one sync: object wave, kind, then name. */
export function compareObjects(a: KubernetesObject, b: KubernetesObject): number {
  return waveOf(a) - waveOf(b) || kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind, 'en') || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

/**
 * Every document of one environment in apply order: the workload components wave by wave, then the
 * environment's Argo CD objects (AppProject, child Applications, root Application), as a first sync would create them.
 */
export function applyOrder(docs: readonly RenderedDoc[], env: string): PlannedObject[] {
  const mine = docs.filter((d) => d.env === env);
  const waves = componentWaves(mine);
  const argocdComponents: Record<string, number> = { apps: Number.MAX_SAFE_INTEGER - 1, bootstrap: Number.MAX_SAFE_INTEGER };
  const planned = mine.map((d): PlannedObject => {
    const argo = d.component in argocdComponents;
    return { file: d.file, component: d.component, wave: argo ? argocdComponents[d.component]! : (waves.get(d.component) ?? 0), target: argo ? 'argocd' : 'workload', object: d.object };
  });
  return planned.sort((a, b) => a.wave - b.wave || compareObjects(a.object, b.object) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** What `kubectl apply -k .` applies for one environment: the argocd-cm health checks, its AppProject and root Application. */
export function bootstrapObjects(docs: readonly RenderedDoc[], env: string): RenderedDoc[] {
  const shared = docs.filter((d) => d.env === '' && d.component === 'argocd');
  const project = docs.filter((d) => d.env === env && d.component === 'apps' && d.object.kind === 'AppProject');
  const root = docs.filter((d) => d.env === env && d.component === 'bootstrap');
  return [...shared, ...project, ...root];
}

