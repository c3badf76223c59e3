// The decisions of the health Lua, as one table that both harnesses run: fengari (`npm test`) and the
// real Lua 5.1 interpreter (`npm run test:real`). Field names are Argo CD's Application status:
// status.operationState.{phase, message, syncResult.revision(s)}, status.sync.{status, revision(s)},
// status.health.{status, message}; operation phases Running, Terminating, Failed, Error, Succeeded.

export interface HealthCase {
  name: string;
  object: unknown;
  status: string;
  /** Checked when set: the message the parent's sync shows for this child. */
  message?: string;
}

const app = (status?: unknown) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...(status ? { status } : {}) });
const synced = { status: 'Synced', revision: 'abc123' };
const done = { phase: 'Succeeded', syncResult: { revision: 'abc123' } };
const healthy = { health: { status: 'Healthy' }, sync: synced, operationState: done };
const multiSource = {
  health: { status: 'Healthy' },
  sync: { status: 'Synced', revisions: ['92.1.0', 'def456'] },
  operationState: { phase: 'Succeeded', syncResult: { revisions: ['92.1.0', 'abc123'] } },
};

export const APPLICATION_CASES: HealthCase[] = [
  { name: 'Healthy, Synced, last sync Succeeded on this revision', object: app(healthy), status: 'Healthy' },
  { name: 'Healthy and Synced, never synced by an operation (nothing to do)', object: app({ health: { status: 'Healthy' }, sync: synced }), status: 'Healthy' },
  {
    name: 'Healthy and Synced at a newer revision than its last sync (a commit that left its folder alone)',
    object: app({ ...healthy, sync: { status: 'Synced', revision: 'def456' } }),
    status: 'Healthy',
  },
  { name: 'multi-source: Healthy and Synced, last sync of older revisions[]', object: app(multiSource), status: 'Healthy' },
  {
    name: 'multi-source: Healthy and Synced, last sync of the same revisions[]',
    object: app({ ...multiSource, operationState: { phase: 'Succeeded', syncResult: { revisions: ['92.1.0', 'def456'] } } }),
    status: 'Healthy',
  },
  {
    name: 'multi-source: Healthy while its sync of new revisions[] still runs',
    object: app({ ...multiSource, operationState: { phase: 'Running', syncResult: { revisions: ['92.1.0', 'def456'] } } }),
    status: 'Progressing',
  },
  { name: 'missing status (just created)', object: app(), status: 'Progressing' },
  { name: 'status without health', object: app({ sync: synced }), status: 'Progressing' },
  { name: 'Progressing', object: app({ ...healthy, health: { status: 'Progressing', message: 'rolling out' } }), status: 'Progressing', message: 'rolling out' },
  { name: 'Degraded', object: app({ ...healthy, health: { status: 'Degraded', message: 'CrashLoopBackOff' } }), status: 'Degraded', message: 'CrashLoopBackOff' },
  {
    name: 'Healthy while its sync still runs hooks (init Jobs)',
    object: app({ ...healthy, operationState: { phase: 'Running', message: 'waiting for completion of hook batch/Job/oro-install' } }),
    status: 'Progressing',
    message: 'sync Running',
  },
  { name: 'Healthy while its sync is being terminated', object: app({ ...healthy, operationState: { phase: 'Terminating' } }), status: 'Progressing', message: 'sync Terminating' },
  {
    name: 'Healthy but its sync failed',
    object: app({ ...healthy, operationState: { phase: 'Failed', message: 'one or more synchronization tasks completed unsuccessfully' } }),
    status: 'Degraded',
    message: 'one or more synchronization tasks completed unsuccessfully',
  },
  { name: 'Healthy but its sync errored (no message)', object: app({ ...healthy, operationState: { phase: 'Error' } }), status: 'Degraded', message: 'sync Error' },
  {
    name: 'Synced at a newer revision, but its last sync failed',
    object: app({ ...healthy, sync: { status: 'Synced', revision: 'def456' }, operationState: { phase: 'Failed', message: 'hook failed' } }),
    status: 'Degraded',
    message: 'hook failed',
  },
  {
    name: 'Healthy but OutOfSync at a revision its last sync was not of (about to sync)',
    object: app({ ...healthy, sync: { status: 'OutOfSync', revision: 'def456' } }),
    status: 'Progressing',
    message: 'healthy but not synced yet',
  },
  { name: 'Healthy but OutOfSync, never synced by an operation', object: app({ health: { status: 'Healthy' }, sync: { status: 'OutOfSync', revision: 'abc123' } }), status: 'Progressing' },
  {
    name: 'Healthy, still OutOfSync after a successful sync of this very revision (drift a sync cannot fix)',
    object: app({ ...healthy, sync: { status: 'OutOfSync', revision: 'abc123' } }),
    status: 'Healthy',
    message: 'healthy; still OutOfSync after a successful sync of this revision',
  },
  {
    name: 'multi-source: Healthy, still OutOfSync after a successful sync of the same revisions[]',
    object: app({ ...multiSource, sync: { status: 'OutOfSync', revisions: ['92.1.0', 'abc123'] } }),
    status: 'Healthy',
  },
  {
    name: 'multi-source: Healthy but OutOfSync at revisions[] its last sync was not of',
    object: app({ ...multiSource, sync: { status: 'OutOfSync', revisions: ['92.1.0', 'def456'] } }),
    status: 'Progressing',
  },
  { name: 'Healthy with an unknown sync status (comparison failed)', object: app({ ...healthy, sync: { status: 'Unknown', revision: 'abc123' } }), status: 'Progressing' },
  { name: 'Missing', object: app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync' } }), status: 'Missing' },
  { name: 'Suspended', object: app({ ...healthy, health: { status: 'Suspended' } }), status: 'Suspended' },
  {
    name: 'messages with quotes, backslashes, a newline and non-ASCII text pass through byte for byte',
    object: app({ ...healthy, health: { status: 'Degraded', message: 'pod "web-0": \\d+ échoué\nline 2 ✓' } }),
    status: 'Degraded',
    message: 'pod "web-0": \\d+ échoué\nline 2 ✓',
  },
];

const pvc = (phase?: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...(phase ? { status: { phase } } : {}) });

export const PVC_CASES: HealthCase[] = [
  { name: 'Bound', object: pvc('Bound'), status: 'Healthy' },
  { name: 'Pending (WaitForFirstConsumer)', object: pvc('Pending'), status: 'Healthy', message: 'Pending: waiting for its first consumer' },
  { name: 'Lost', object: pvc('Lost'), status: 'Degraded' },
  { name: 'no status yet', object: pvc(), status: 'Progressing' },
];
