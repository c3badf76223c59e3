// The health Lua shipped in argocd-cm decides when a sync wave may move on; these are its decisions.
import { describe, expect, it } from 'vitest';
import { APPLICATION_HEALTH_LUA, argocdHealthConfig, PVC_HEALTH_LUA } from './health.ts';
import { runHealthScript } from './lua-harness.ts';

const app = (status?: unknown) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...(status ? { status } : {}) });
const synced = { status: 'Synced', revision: 'abc123' };
const done = { phase: 'Succeeded', syncResult: { revision: 'abc123' } };
const healthy = { health: { status: 'Healthy' }, sync: synced, operationState: done };

describe('Application health Lua', () => {
  it.each([
    ['Healthy, Synced, last sync Succeeded on this revision', app(healthy), 'Healthy'],
    ['Healthy and Synced, never synced by an operation (nothing to do)', app({ health: { status: 'Healthy' }, sync: synced }), 'Healthy'],
    ['missing status (just created)', app(), 'Progressing'],
    ['status without health', app({ sync: synced }), 'Progressing'],
    ['Progressing', app({ ...healthy, health: { status: 'Progressing', message: 'rolling out' } }), 'Progressing'],
    ['Degraded', app({ ...healthy, health: { status: 'Degraded', message: 'CrashLoopBackOff' } }), 'Degraded'],
    ['Healthy while its sync still runs hooks (init Jobs)', app({ ...healthy, operationState: { phase: 'Running', message: 'waiting for completion of hook batch/Job/oro-install' } }), 'Progressing'],
    ['Healthy but its sync failed', app({ ...healthy, operationState: { phase: 'Failed', message: 'one or more synchronization tasks completed unsuccessfully' } }), 'Degraded'],
    ['Healthy but its sync errored', app({ ...healthy, operationState: { phase: 'Error' } }), 'Degraded'],
    ['Healthy but OutOfSync', app({ ...healthy, sync: { status: 'OutOfSync', revision: 'def456' } }), 'Progressing'],
    ['Healthy and Synced, but the last sync was of an older revision', app({ ...healthy, sync: { status: 'Synced', revision: 'def456' } }), 'Progressing'],
    ['Missing', app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync' } }), 'Missing'],
    ['Suspended', app({ ...healthy, health: { status: 'Suspended' } }), 'Suspended'],
  ])('%s → %s', (_, object, expected) => {
    expect(runHealthScript(APPLICATION_HEALTH_LUA, object).status).toBe(expected);
  });

  it('passes the child health message and the failed sync message through', () => {
    expect(runHealthScript(APPLICATION_HEALTH_LUA, app({ ...healthy, health: { status: 'Degraded', message: 'CrashLoopBackOff' } })).message).toBe('CrashLoopBackOff');
    expect(runHealthScript(APPLICATION_HEALTH_LUA, app({ ...healthy, operationState: { phase: 'Failed', message: 'hook failed' } })).message).toBe('hook failed');
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
