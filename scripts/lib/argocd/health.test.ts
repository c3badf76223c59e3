// The health Lua shipped in argocd-cm decides when a sync wave may move on; these are its decisions.
import { describe, expect, it } from 'vitest';
import { APPLICATION_HEALTH_LUA, argocdHealthConfig, PVC_HEALTH_LUA } from './health.ts';
import { runHealthScript } from './lua-harness.ts';

const source = { repoURL: 'https://git.example/repo.git', path: 'rendered/prod/db', targetRevision: 'main' };
const app = (status?: unknown) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: { source }, ...(status ? { status } : {}) });
const synced = { status: 'Synced', comparedTo: { source } };

describe('Application health Lua', () => {
  it.each([
    ['Healthy and Synced', app({ health: { status: 'Healthy' }, sync: synced }), 'Healthy'],
    ['Progressing', app({ health: { status: 'Progressing', message: 'rolling out' }, sync: synced }), 'Progressing'],
    ['Degraded', app({ health: { status: 'Degraded', message: 'CrashLoopBackOff' }, sync: synced }), 'Degraded'],
    ['missing status (just created)', app(), 'Progressing'],
    ['status without health', app({ sync: synced }), 'Progressing'],
    ['Healthy but OutOfSync', app({ health: { status: 'Healthy' }, sync: { status: 'OutOfSync', comparedTo: { source } } }), 'Progressing'],
    ['Healthy but assessed against an older revision', app({ health: { status: 'Healthy' }, sync: { status: 'Synced', comparedTo: { source: { ...source, targetRevision: 'v1' } } } }), 'Progressing'],
    ['Missing', app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync' } }), 'Missing'],
    ['Suspended', app({ health: { status: 'Suspended' }, sync: synced }), 'Suspended'],
  ])('%s → %s', (_, object, expected) => {
    expect(runHealthScript(APPLICATION_HEALTH_LUA, object).status).toBe(expected);
  });

  it('passes the child health message through', () => {
    expect(runHealthScript(APPLICATION_HEALTH_LUA, app({ health: { status: 'Degraded', message: 'CrashLoopBackOff' }, sync: synced })).message).toBe('CrashLoopBackOff');
  });
});

describe('PVC health Lua', () => {
  const pvc = (phase?: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...(phase ? { status: { phase } } : {}) });
  it.each([
    ['Bound', 'Healthy'],
    ['Pending', 'Healthy'],
    ['Lost', 'Degraded'],
  ])('%s → %s', (phase, expected) => {
    expect(runHealthScript(PVC_HEALTH_LUA, pvc(phase)).status).toBe(expected);
  });

  it('is Progressing before the claim has any status', () => {
    expect(runHealthScript(PVC_HEALTH_LUA, pvc()).status).toBe('Progressing');
  });
});

describe('argocdHealthConfig', () => {
  it('renders exactly the two keys, in the split-key form argocd-cm reads', () => {
    const cm = argocdHealthConfig('argocd');
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(Object.keys(cm.data as object).sort()).toEqual([
      'resource.customizations.health.PersistentVolumeClaim',
      'resource.customizations.health.argoproj.io_Application',
    ]);
  });
});
