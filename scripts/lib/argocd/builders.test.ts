// Argo CD objects built from the environment: child and root Applications, the AppProject, the Namespace.
import { describe, expect, it } from 'vitest';
import type { Component } from '../component.ts';
import { testEnvironment } from '../environment/testing.ts';
import type { KubernetesObject } from '../k8s.ts';
import { childApplication, rootApplication } from './application.ts';
import { environmentNamespace } from './namespace.ts';
import { appProject } from './project.ts';

const env = testEnvironment('prod', { source: { repoURL: 'https://git.acme.internal/ops.git', targetRevision: 'main' } });
const db: Component = { name: 'db', wave: 1, description: 'PostgreSQL', render: () => [] };

describe('childApplication', () => {
  const app = childApplication(env, db) as KubernetesObject & { spec: Record<string, any> };

  it('is named after the environment and component, in the argocd namespace, with its wave and finalizer', () => {
    expect(app.metadata).toMatchObject({
      name: 'orocommerce-prod-db',
      namespace: 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
  });

  it('refreshes only when a commit touches its own folder (manifest-generate-paths, absolute)', () => {
    expect(app.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/manifest-generate-paths': '/rendered/prod/db' });
    expect(rootApplication(env).metadata.annotations).toEqual({ 'argocd.argoproj.io/manifest-generate-paths': '/rendered/prod/apps' });
  });

  it('syncs the rendered folder of the component into the environment namespace', () => {
    expect(app.spec.project).toBe('orocommerce-prod');
    expect(app.spec.source).toEqual({ repoURL: 'https://git.acme.internal/ops.git', targetRevision: 'main', path: 'rendered/prod/db' });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'orocommerce-prod' });
  });

  it('auto-syncs with prune, self-heal and a bounded retry with backoff', () => {
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.syncPolicy.retry).toEqual({ limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } });
    expect(app.spec.syncPolicy.syncOptions).toContain('PruneLast=true');
  });

  it('lists extra sources before its own folder and then uses `sources`', () => {
    const chart = { repoURL: 'https://charts.example', chart: 'x', targetRevision: '1.2.3' };
    const withChart = childApplication(env, { ...db, extraSources: () => [chart] }) as KubernetesObject & { spec: Record<string, any> };
    expect(withChart.spec.source).toBeUndefined();
    expect(withChart.spec.sources).toEqual([chart, { repoURL: 'https://git.acme.internal/ops.git', targetRevision: 'main', path: 'rendered/prod/db' }]);
  });
});

/** A central Argo CD that deploys to a remote workload cluster: the usual production shape. */
const remote = testEnvironment('prod', { destination: { server: 'https://prod.k8s.example.com' } });

describe('rootApplication', () => {
  it("syncs rendered/<env>/apps into the argocd namespace of Argo CD's own cluster", () => {
    const root = rootApplication(remote) as KubernetesObject & { spec: Record<string, any> };
    expect(root.metadata.name).toBe('orocommerce-prod');
    expect(root.spec.source.path).toBe('rendered/prod/apps');
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
  });

  it('sends the child Applications to the workload cluster', () => {
    const child = childApplication(remote, db) as KubernetesObject & { spec: Record<string, any> };
    expect(child.spec.destination).toEqual({ server: 'https://prod.k8s.example.com', namespace: 'orocommerce-prod' });
  });
});

describe('appProject', () => {
  it("allows the workload namespace on the workload cluster and the argocd namespace on Argo CD's cluster", () => {
    const remoteProject = appProject(remote, { clusterKinds: [], namespacedKinds: [], extraSources: [] }) as KubernetesObject & { spec: Record<string, any> };
    expect(remoteProject.spec.destinations).toEqual([
      { server: 'https://prod.k8s.example.com', namespace: 'orocommerce-prod' },
      { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
    ]);
  });

  const project = appProject(env, {
    clusterKinds: [{ group: '', kind: 'Namespace' }],
    namespacedKinds: [{ group: 'apps', kind: 'Deployment' }, { group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }],
    extraSources: [{ repoURL: 'https://charts.example', chart: 'x', targetRevision: '1' }],
  }) as KubernetesObject & { spec: Record<string, any> };

  it('allows this repository and the extra chart repositories only, never a wildcard', () => {
    expect(project.spec.sourceRepos).toEqual(['https://charts.example', 'https://git.acme.internal/ops.git']);
    expect(JSON.stringify(project)).not.toContain('"*"');
  });

  it('allows only the environment namespace and the argocd namespace on the destination server', () => {
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'orocommerce-prod' },
      { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
    ]);
  });

  it('allows exactly the rendered kinds, deduplicated and sorted', () => {
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }]);
  });
});

describe('environmentNamespace', () => {
  const pod = (securityContext: object) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { template: { spec: { securityContext, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] } } },
  });
  const restricted = pod({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  const root = pod({ runAsUser: 0 });

  it('enforces restricted when every pod passes it', () => {
    expect(environmentNamespace(env, 'pvcs', [restricted]).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('lowers enforce to the strictest level every pod passes, and keeps warn/audit at restricted', () => {
    const labels = environmentNamespace(env, 'pvcs', [restricted, root]).metadata.labels!;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
  });

  it('syncs before every component and marks single-node environments', () => {
    const dev = testEnvironment('dev', { topology: { singleNode: true } });
    expect(environmentNamespace(dev, 'pvcs', []).metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '-1',
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
      'orocommerce.io/single-node': 'true',
    });
  });
});
