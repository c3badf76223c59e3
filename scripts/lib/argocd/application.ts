// Argo CD Applications: one child per component (sync-waved) and the environment's root app-of-apps.
import type { Component } from '../component.ts';
import type { Environment } from '../environment/schema.ts';
import type { ApplicationSource, KubernetesObject } from '../k8s.ts';
import { commonLabels } from '../labels.ts';
import { SYNC_WAVE } from '../transforms/sync-wave.ts';
import { childApplicationName, FINALIZER, projectName, renderedPath, rootApplicationName } from './names.ts';

/**
 * Automated sync with prune and self-heal, and a retry: auto-sync never retries a failed revision on
 * its own. ServerSideApply avoids the 256 KiB last-applied annotation limit (CRDs, dashboards);
 * PruneLast removes objects only after the new ones are healthy; FailOnSharedResource refuses to
 * take over an object another Application manages.
 */
export function syncPolicy() {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['ServerSideApply=true', 'PruneLast=true', 'FailOnSharedResource=true'],
    retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  };
}

/**
 * Argo CD refreshes an Application on a commit only when the commit touches one of these paths
 * (Argo CD's monorepo guidance, operator-manual/high_availability.md): a fleet of 500 environments
 * in one repository otherwise regenerates all 4,500 Applications on every commit. The path is absolute
 * (`/` is the repository root) so it means the same for a multi-source Application.
 */
export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

function refreshPaths(env: Environment, folder: string): Record<string, string> {
  return { [MANIFEST_GENERATE_PATHS]: `/${renderedPath(env, folder)}` };
}

function ownSource(env: Environment, folder: string): ApplicationSource {
  return { repoURL: env.source.repoURL, targetRevision: env.source.targetRevision, path: renderedPath(env, folder) };
}

/** The Application for one component, in the component's sync wave. */
export function childApplication(env: Environment, component: Component): KubernetesObject {
  const extra = component.extraSources?.(env) ?? [];
  const own = ownSource(env, component.name);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: childApplicationName(env, component.name),
      namespace: env.argocd.namespace,
      labels: commonLabels(env, component.name),
      annotations: { [SYNC_WAVE]: String(component.wave), ...refreshPaths(env, component.name) },
      finalizers: [FINALIZER],
    },
    spec: {
      project: projectName(env),
      ...(extra.length > 0 ? { sources: [...extra, own] } : { source: own }),
      destination: { server: env.destination.server, namespace: env.destination.namespace },
      syncPolicy: syncPolicy(),
      revisionHistoryLimit: 5,
    },
  };
}

/** The root app-of-apps: syncs rendered/<env>/apps (the AppProject and every child Application) on Argo CD's own cluster. */
export function rootApplication(env: Environment): KubernetesObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: rootApplicationName(env),
      namespace: env.argocd.namespace,
      labels: commonLabels(env, 'bootstrap'),
      annotations: refreshPaths(env, 'apps'),
      finalizers: [FINALIZER],
    },
    spec: {
      project: projectName(env),
      source: ownSource(env, 'apps'),
      destination: { server: env.argocd.server, namespace: env.argocd.namespace },
      syncPolicy: syncPolicy(),
      revisionHistoryLimit: 5,
    },
  };
}
