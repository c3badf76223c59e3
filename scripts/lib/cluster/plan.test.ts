// Apply order of an environment: component waves from the Applications, then object waves, kinds and names.
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { loadRendered } from '../validate/load-rendered.ts';
import type { RenderedDoc } from '../validate/types.ts';
import { applyOrder, bootstrapObjects, compareObjects } from './plan.ts';

const committed = loadRendered(REPO_ROOT).docs;

const doc = (file: string, kind: string, name: string, annotations: Record<string, string> = {}, spec: unknown = {}): RenderedDoc => {
  const [, env = '', component = ''] = file.split('/');
  return { file, env, component, object: { apiVersion: 'v1', kind, metadata: { name, namespace: 'ns', annotations }, spec } as RenderedDoc['object'] };
};

describe('applyOrder', () => {
  const app = (component: string, wave: string) =>
    doc(`rendered/e/apps/application-${component}.yaml`, 'Application', `e-${component}`, { 'argocd.argoproj.io/sync-wave': wave }, { source: { path: `rendered/e/${component}` } });

  it('orders workload objects by their Application wave, then object wave, then kind, and the Argo CD objects last', () => {
    const docs = [
      doc('rendered/e/web/deployment-web.yaml', 'Deployment', 'web'),
      doc('rendered/e/init-jobs/job-restore.yaml', 'Job', 'restore', { 'argocd.argoproj.io/sync-wave': '4' }),
      doc('rendered/e/init-jobs/job-volume-init.yaml', 'Job', 'volume-init', { 'argocd.argoproj.io/sync-wave': '3' }),
      doc('rendered/e/init-jobs/configmap-c.yaml', 'ConfigMap', 'c'),
      doc('rendered/e/pvcs/persistentvolumeclaim-a.yaml', 'PersistentVolumeClaim', 'a'),
      doc('rendered/e/pvcs/namespace-ns.yaml', 'Namespace', 'ns'),
      doc('rendered/e/bootstrap/application-e.yaml', 'Application', 'e'),
      app('web', '6'),
      app('init-jobs', '2'),
      app('pvcs', '0'),
      doc('rendered/other/pvcs/namespace-x.yaml', 'Namespace', 'x'),
    ];
    expect(applyOrder(docs, 'e').map((p) => `${p.target}:${p.object.kind}/${p.object.metadata.name}`)).toEqual([
      'workload:Namespace/ns',
      'workload:PersistentVolumeClaim/a',
      'workload:ConfigMap/c',
      'workload:Job/volume-init',
      'workload:Job/restore',
      'workload:Deployment/web',
      'argocd:Application/e-pvcs',
      'argocd:Application/e-init-jobs',
      'argocd:Application/e-web',
      'argocd:Application/e',
    ]);
  });

  it('puts every committed environment in an order where the Namespace comes first and nothing is lost', () => {
    const docs = committed;
    for (const env of ['dev', 'staging', 'prod']) {
      const order = applyOrder(docs, env);
      expect(order).toHaveLength(docs.filter((d) => d.env === env).length);
      expect(order[0]!.object.kind).toBe('Namespace');
      const waves = order.filter((p) => p.target === 'workload').map((p) => p.wave);
      expect(waves).toEqual([...waves].sort((a, b) => a - b));
    }
  });

  it('compares unknown kinds after the known ones', () => {
    expect(compareObjects({ apiVersion: 'x/v1', kind: 'ServiceMonitor', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } })).toBeGreaterThan(0);
  });
});

describe('bootstrapObjects', () => {
  it('is what kustomization.yaml lists for the environment: argocd-cm, the AppProject, the root Application', () => {
    expect(bootstrapObjects(committed, 'prod').map((d) => d.file)).toEqual([
      'rendered/argocd/configmap-argocd-cm.yaml',
      'rendered/prod/apps/appproject-orocommerce-prod.yaml',
      'rendered/prod/bootstrap/application-orocommerce-prod.yaml',
    ]);
  });
});
