// What status says holds an Application back, from live object JSON as the API returns it.
import type { CoreV1Event, V1Job, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { diagnose, findBlocker, formatRows, orderApplications, waitedJobSelector, type Application, type LiveState } from './diagnose.ts';

const labels = (component: string, name: string) => ({ 'app.kubernetes.io/component': component, 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'orocommerce-dev' });
const state = (s: Partial<LiveState>): LiveState => ({ jobs: [], pods: [], pvcs: [], events: [], logs: {}, ...s });
const event = (kind: string, name: string, reason: string, message: string, type = 'Warning', at = '2026-01-01T00:00:00Z'): CoreV1Event =>
  ({ metadata: { name: `${name}.1` }, involvedObject: { kind, name }, reason, message, type, lastTimestamp: at }) as unknown as CoreV1Event;

const failedJob: V1Job = {
  metadata: { name: 'oro-restore', labels: labels('init-jobs', 'restore') },
  status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
} as V1Job;
const jobPod: V1Pod = {
  metadata: { name: 'oro-restore-x1', labels: { ...labels('init-jobs', 'restore'), 'job-name': 'oro-restore' }, creationTimestamp: new Date('2026-01-01T00:00:00Z') },
  spec: { containers: [{ name: 'restore' }] },
  status: { phase: 'Failed' },
} as unknown as V1Pod;

describe('findBlocker', () => {
  it('names a failed Job with the tail of its newest pod log', () => {
    const b = findBlocker(state({ jobs: [failedJob], pods: [jobPod], logs: { 'oro-restore-x1/restore': 'psql: connection refused\n' } }), 'init-jobs');
    expect(b).toEqual({ kind: 'Job', name: 'oro-restore', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', log: 'psql: connection refused\n' });
  });

  it('names a pod in ImagePullBackOff with its event', () => {
    const pod = {
      metadata: { name: 'webserver-1', labels: labels('web', 'webserver') },
      spec: { containers: [{ name: 'nginx' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'nginx', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } }] },
    } as unknown as V1Pod;
    const b = findBlocker(state({ pods: [pod], events: [event('Pod', 'webserver-1', 'Failed', 'Failed to pull image "nginx:nope": not found')] }), 'web');
    expect(b).toMatchObject({ kind: 'Pod', name: 'webserver-1', reason: 'ImagePullBackOff' });
    expect(b!.message).toBe('container nginx: Back-off pulling image "nginx:nope" (Failed: Failed to pull image "nginx:nope": not found)');
  });

  it('names a CrashLoopBackOff before a merely pending pod', () => {
    const pending = { metadata: { name: 'a', labels: labels('app', 'x') }, status: { phase: 'Pending' } } as unknown as V1Pod;
    const crashing = { metadata: { name: 'b', labels: labels('app', 'x') }, status: { phase: 'Running', containerStatuses: [{ name: 'php', state: { waiting: { reason: 'CrashLoopBackOff' } } }] } } as unknown as V1Pod;
    expect(findBlocker(state({ pods: [pending, crashing] }), 'app')).toMatchObject({ name: 'b', reason: 'CrashLoopBackOff' });
  });

  it('gives a pending pod its newest Warning event, else its scheduling condition', () => {
    const pod = { metadata: { name: 'db-0', labels: labels('db', 'database') }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked' }] } } as unknown as V1Pod;
    expect(findBlocker(state({ pods: [pod] }), 'db')).toEqual({ kind: 'Pod', name: 'db-0', reason: 'Pending', message: 'SchedulingGated: Scheduling is blocked' });
    const events = [event('Pod', 'db-0', 'FailedScheduling', 'old', 'Warning', '2026-01-01T00:00:00Z'), event('Pod', 'db-0', 'FailedScheduling', '0/1 nodes are available: 1 Insufficient memory.', 'Warning', '2026-01-01T00:05:00Z')];
    expect(findBlocker(state({ pods: [pod], events }), 'db')!.message).toBe('FailedScheduling: 0/1 nodes are available: 1 Insufficient memory.');
  });

  it('names a PVC waiting for its storage class', () => {
    const pvc = { metadata: { name: 'pvc-cache', labels: labels('pvcs', 'pvc-cache') }, spec: { storageClassName: 'fast' }, status: { phase: 'Pending' } } as V1PersistentVolumeClaim;
    expect(findBlocker(state({ pvcs: [pvc] }), 'pvcs')).toEqual({ kind: 'PersistentVolumeClaim', name: 'pvc-cache', reason: 'Pending', message: 'waiting for storage class fast' });
    const events = [event('PersistentVolumeClaim', 'pvc-cache', 'ProvisioningFailed', 'storageclass.storage.k8s.io "fast" not found')];
    expect(findBlocker(state({ pvcs: [pvc], events }), 'pvcs')!.message).toBe('ProvisioningFailed: storageclass.storage.k8s.io "fast" not found');
  });

  it('names the Job an init container waits for', () => {
    const command = ['/bin/kubectl', 'wait', 'job', '--for=condition=complete', '--selector=app.kubernetes.io/name in (restore,volume-init),app.kubernetes.io/instance=orocommerce-dev', '--namespace=x', '--timeout=60s'];
    const pod = {
      metadata: { name: 'app-1', labels: labels('app', 'orocommerce-app') },
      spec: { initContainers: [{ name: 'wait-for-init-jobs', command }], containers: [{ name: 'php' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'wait-for-init-jobs', state: { running: {} } }] },
    } as unknown as V1Pod;
    const running = { ...failedJob, status: { active: 1 } } as V1Job;
    expect(findBlocker(state({ pods: [pod], jobs: [running] }), 'app')!.message).toBe('init container wait-for-init-jobs waits for Job oro-restore (not complete)');
    expect(findBlocker(state({ pods: [pod], jobs: [failedJob] }), 'app')!.message).toBe('init container wait-for-init-jobs waits for Job oro-restore (failed: Job has reached the specified backoff limit)');
    expect(findBlocker(state({ pods: [pod] }), 'app')!.message).toMatch(/waits for a Job labelled app.kubernetes.io\/name in \(restore,volume-init\),app.kubernetes.io\/instance=orocommerce-dev, and none exists/);
  });

  it('finds nothing for a component whose objects are all fine', () => {
    const ok = { metadata: { name: 'p', labels: labels('web', 'webserver') }, status: { phase: 'Running', containerStatuses: [{ name: 'nginx', ready: true, state: { running: {} } }] } } as unknown as V1Pod;
    expect(findBlocker(state({ pods: [ok] }), 'web')).toBeUndefined();
  });
});

describe('waitedJobSelector', () => {
  it('reads the equality and set-based selector of a shell-free kubectl wait', () => {
    expect(waitedJobSelector(['/bin/kubectl', 'wait', 'job', '--for=create', '--selector=app.kubernetes.io/name in (install,volume-init),app.kubernetes.io/version=6.1.6', '--timeout=60s'])).toEqual([
      { key: 'app.kubernetes.io/name', values: ['install', 'volume-init'] },
      { key: 'app.kubernetes.io/version', values: ['6.1.6'] },
    ]);
  });

  it('ignores containers that are no job waiter', () => {
    expect(waitedJobSelector(['nginx', '-g', 'daemon off;'])).toBeUndefined();
    expect(waitedJobSelector(['bash', '-c', 'echo kubectl wait job'])).toBeUndefined();
  });
});

describe('diagnose', () => {
  const app = (name: string, wave: string, component: string, status: Application['status']): Application => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, annotations: { 'argocd.argoproj.io/sync-wave': wave } },
    spec: { source: { path: `rendered/dev/${component}` } },
    status,
  });
  const healthy = { sync: { status: 'Synced', revision: '0123456789abcdef' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } };

  it('lists root first, then waves, with a blocker only under what is not Synced and Healthy', () => {
    const apps = [
      app('orocommerce-dev-init-jobs', '2', 'init-jobs', { sync: { status: 'Synced', revision: 'abcdef0123' }, health: { status: 'Progressing' }, operationState: { phase: 'Running' } }),
      app('orocommerce-dev-pvcs', '0', 'pvcs', healthy),
      app('orocommerce-dev', '0', 'apps', { sync: { status: 'Synced' }, health: { status: 'Progressing' }, operationState: { phase: 'Running' } }),
      app('orocommerce-dev-web', '6', 'web', { sync: { status: 'OutOfSync' }, health: { status: 'Missing' }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply' } }),
    ];
    const rows = diagnose(apps, 'orocommerce-dev', state({ jobs: [failedJob], pods: [jobPod], logs: { 'oro-restore-x1/restore': 'boom' } }));
    expect(rows.map((r) => [r.wave, r.name, r.revision, r.blocker?.kind, r.blocker?.reason])).toEqual([
      ['root', 'orocommerce-dev', '', undefined, undefined],
      [0, 'orocommerce-dev-pvcs', '0123456', undefined, undefined],
      [2, 'orocommerce-dev-init-jobs', 'abcdef0', 'Job', 'BackoffLimitExceeded'],
      [6, 'orocommerce-dev-web', '', 'Application', 'SyncFailed'],
    ]);
    const text = formatRows(rows);
    expect(text).toContain('    ↳ Job/oro-restore BackoffLimitExceeded: Job has reached the specified backoff limit\n      | boom\n');
    expect(text).toMatch(/1\/4 Applications Synced and Healthy\n$/);
  });

  it('orders Applications by wave and name', () => {
    expect(orderApplications([app('b', '1', 'b', {}), app('a', '1', 'a', {}), app('r', '9', 'apps', {}), app('z', '-1', 'z', {})], 'r').map((a) => a.metadata.name)).toEqual(['r', 'z', 'a', 'b']);
  });
});
