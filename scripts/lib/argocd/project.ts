// The per-environment AppProject: this repository only, this destination only, the kinds actually rendered.
import type { Environment } from '../environment/schema.ts';
import type { ApplicationSource, KubernetesObject } from '../k8s.ts';
import { commonLabels } from '../labels.ts';
import { SYNC_WAVE } from '../transforms/sync-wave.ts';
import { FINALIZER, projectName } from './names.ts';

export interface GroupKind {
  group: string;
  kind: string;
}

/** `apps/v1` + `Deployment` → `{ group: 'apps', kind: 'Deployment' }`; the core group is ''. */
export function groupKindOf(o: KubernetesObject): GroupKind {
  return { group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '', kind: o.kind };
}

/** `monitoring.coreos.com/PrometheusRule` or `/Namespace` (core) → GroupKind. */
export function parseGroupKind(s: string): GroupKind {
  const i = s.lastIndexOf('/');
  return { group: s.slice(0, i), kind: s.slice(i + 1) };
}

function uniqueSorted(list: readonly GroupKind[]): GroupKind[] {
  const seen = new Map(list.map((gk) => [`${gk.group}/${gk.kind}`, gk]));
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}

export interface ProjectInputs {
  clusterKinds: readonly GroupKind[];
  namespacedKinds: readonly GroupKind[];
  extraSources: readonly ApplicationSource[];
}

/** Never the permissive `default` project: every list is exact, so a stray kind or repo fails the sync. */
export function appProject(env: Environment, inputs: ProjectInputs): KubernetesObject {
  const repos = [env.source.repoURL, ...inputs.extraSources.map((s) => s.repoURL)];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: projectName(env),
      namespace: env.argocd.namespace,
      labels: commonLabels(env, 'apps'),
      // Before the child Applications that need it, when the root Application syncs.
      annotations: { [SYNC_WAVE]: '-1' },
      finalizers: [FINALIZER],
    },
    spec: {
      description: `OroCommerce ${env.name}: rendered manifests from ${env.source.repoURL}`,
      sourceRepos: [...new Set(repos)].sort(),
      destinations: [
        { server: env.destination.server, namespace: env.destination.namespace },
        { server: env.argocd.server, namespace: env.argocd.namespace },
      ],
      clusterResourceWhitelist: uniqueSorted(inputs.clusterKinds),
      namespaceResourceWhitelist: uniqueSorted(inputs.namespacedKinds),
      orphanedResources: { warn: true },
    },
  };
}
