// Pure diagnosis for `npm run status`: each Application's state and, for anything not Healthy, the first
// live object that holds it back and why. Since Argo CD 3.0 resource health is not stored in the
// Application, so the reasons are read from the live Jobs, Pods, PVCs and Events.
import type { CoreV1Event, V1Job, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { KubernetesObject } from '../k8s.ts';
import { waveOf } from './plan.ts';

/** The fields of an Argo CD Application that status reads. */
export interface Application extends KubernetesObject {
  spec?: { source?: { path?: string }; sources?: { path?: string }[] };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } };
    conditions?: { type?: string; message?: string }[];
  };
}

/** The live objects of the environment's namespace that can hold an Application back. */
export interface LiveState {
  jobs: V1Job[];
  pods: V1Pod[];
  pvcs: V1PersistentVolumeClaim[];
  events: CoreV1Event[];
  /** Log tails by `pod/container`, read for the pods of failed Jobs. */
  logs: Record<string, string>;
}

export interface Blocker {
  kind: string;
  name: string;
  reason: string;
  message: string;
  /** The tail of the log that explains it (failed Jobs). */
  log?: string;
}

export interface AppRow {
  name: string;
  /** `root` for the environment's root Application, otherwise the child's sync wave. */
  wave: number | 'root';
  component: string;
  sync: string;
  health: string;
  operation: string;
  revision: string;
  blocker?: Blocker;
}

const BAD_WAITING = new Set(['ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError']);

/** The folder an Application syncs (`rendered/dev/app` → `app`), which is its component label. */
export function componentOf(app: Application): string {
  const src = app.spec?.source ?? app.spec?.sources?.[0];
  return src?.path?.split('/').pop() ?? '';
}

/** Root first, then the children in wave order, then by name. */
export function orderApplications<T extends Application>(apps: readonly T[], rootName: string): T[] {
  const rank = (a: T) => (a.metadata.name === rootName ? -Infinity : waveOf(a));
  return [...apps].sort((a, b) => rank(a) - rank(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
}

function eventsFor(state: LiveState, kind: string, name: string): CoreV1Event[] {
  return state.events
    .filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name)
    .sort((a, b) => time(b) - time(a));
}

function time(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}

/** The newest Warning event's message (or the newest event's), if any. */
function eventMessage(state: LiveState, kind: string, name: string): string | undefined {
  const events = eventsFor(state, kind, name);
  const e = events.find((x) => x.type === 'Warning') ?? events[0];
  return e ? `${e.reason ?? 'Event'}: ${e.message ?? ''}`.trim() : undefined;
}

function hasComponent(o: { metadata?: { labels?: Record<string, string> } }, component: string): boolean {
  return o.metadata?.labels?.['app.kubernetes.io/component'] === component;
}

function jobCondition(job: V1Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function podsOfJob(state: LiveState, job: V1Job): V1Pod[] {
  return state.pods.filter((p) => p.metadata?.labels?.['job-name'] === job.metadata?.name || p.metadata?.ownerReferences?.some((r) => r.kind === 'Job' && r.name === job.metadata?.name));
}

/** Newest pod first: the log tail of the last attempt is the one that explains a failure. */
function newest(pods: V1Pod[]): V1Pod | undefined {
  const t = (p: V1Pod) => (p.metadata?.creationTimestamp ? new Date(p.metadata.creationTimestamp as unknown as string).getTime() : 0);
  return [...pods].sort((a, b) => t(b) - t(a))[0];
}

function failedJob(state: LiveState, job: V1Job): Blocker | undefined {
  const failed = jobCondition(job, 'Failed');
  if (!failed) return undefined;
  const pod = newest(podsOfJob(state, job));
  const container = pod?.spec?.containers[0]?.name;
  const log = pod && container ? state.logs[`${pod.metadata!.name}/${container}`] : undefined;
  return { kind: 'Job', name: job.metadata!.name!, reason: failed.reason ?? 'Failed', message: failed.message ?? 'the Job failed', ...(log !== undefined ? { log } : {}) };
}

/** One requirement of a label selector: the label `key` has one of `values`. */
export interface LabelRequirement {
  key: string;
  values: string[];
}

/** `a=b,c in (d,e)`: the equality and set-based requirements kubectl accepts in `--selector` (no `!=`, `notin`). */
export function parseSelector(selector: string): LabelRequirement[] {
  return [...selector.matchAll(/([^,=\s]+)\s*(?:==?\s*([^,\s]*)|\s+in\s+\(([^)]*)\))/g)].map((m) =>
    m[3] !== undefined ? { key: m[1]!, values: m[3].split(',').map((v) => v.trim()) } : { key: m[1]!, values: [m[2]!] },
  );
}

/**
 * The selector of an init container that runs `kubectl wait job` (the waiters of apps/lib/waiter.ts run kubectl
 * directly, one argument per word, so a set-based selector keeps its spaces), or undefined for any other container.
 */
export function waitedJobSelector(command: readonly string[]): LabelRequirement[] | undefined {
  const wait = command.findIndex((a, i) => /(^|\/)kubectl$/.test(a) && command[i + 1] === 'wait' && command[i + 2] === 'job');
  if (wait < 0) return undefined;
  const selector = command.slice(wait).find((a) => a.startsWith('--selector='));
  return selector === undefined ? undefined : parseSelector(selector.slice('--selector='.length));
}

function matches(labels: Record<string, string> | undefined, selector: readonly LabelRequirement[]): boolean {
  return selector.every(({ key, values }) => labels?.[key] !== undefined && values.includes(labels[key]));
}

const describeSelector = (selector: readonly LabelRequirement[]) =>
  selector.map(({ key, values }) => (values.length === 1 ? `${key}=${values[0]}` : `${key} in (${values.join(',')})`)).join(',');

/** Why a pod is not running and ready, or undefined when it is. */
function podProblem(state: LiveState, pod: V1Pod): Blocker | undefined {
  const name = pod.metadata!.name!;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && BAD_WAITING.has(waiting.reason)) {
      const event = eventMessage(state, 'Pod', name);
      return { kind: 'Pod', name, reason: waiting.reason, message: `container ${s.name}: ${waiting.message ?? waiting.reason}${event ? ` (${event})` : ''}` };
    }
  }
  // An init container still running a `kubectl wait job`: the pod waits for the init jobs.
  for (const s of pod.status?.initContainerStatuses ?? []) {
    if (!s.state?.running) continue;
    const spec = pod.spec?.initContainers?.find((c) => c.name === s.name);
    const selector = waitedJobSelector([...(spec?.command ?? []), ...(spec?.args ?? [])]);
    if (!selector) continue;
    const jobs = state.jobs.filter((j) => matches(j.metadata?.labels, selector));
    const pending = jobs.find((j) => !jobCondition(j, 'Complete'));
    if (jobs.length === 0) return { kind: 'Pod', name, reason: 'WaitingForJob', message: `init container ${s.name} waits for a Job labelled ${describeSelector(selector)}, and none exists` };
    if (pending) {
      const failed = jobCondition(pending, 'Failed');
      return { kind: 'Pod', name, reason: 'WaitingForJob', message: `init container ${s.name} waits for Job ${pending.metadata!.name} (${failed ? `failed: ${failed.message ?? failed.reason}` : 'not complete'})` };
    }
  }
  if (pod.status?.phase === 'Pending') {
    const event = eventMessage(state, 'Pod', name);
    const cond = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const message = event ?? (cond ? `${cond.reason ?? 'Unschedulable'}: ${cond.message ?? 'not scheduled'}` : 'waiting to start');
    return { kind: 'Pod', name, reason: 'Pending', message };
  }
  if (pod.status?.phase === 'Failed') return { kind: 'Pod', name, reason: pod.status.reason ?? 'Failed', message: pod.status.message ?? 'the pod failed' };
  return undefined;
}

function pvcProblem(state: LiveState, pvc: V1PersistentVolumeClaim): Blocker | undefined {
  if (pvc.status?.phase === 'Bound') return undefined;
  const name = pvc.metadata!.name!;
  const event = eventMessage(state, 'PersistentVolumeClaim', name);
  const cls = pvc.spec?.storageClassName;
  return { kind: 'PersistentVolumeClaim', name, reason: pvc.status?.phase ?? 'Pending', message: event ?? `waiting for storage class ${cls ?? '(the default)'}` };
}

/**
 * The first live object of a component that holds its Application back: a failed Job (with its log tail),
 * a pod in a bad container state, a pod whose init container waits for a Job, a pending pod, an unbound PVC.
 */
export function findBlocker(state: LiveState, component: string): Blocker | undefined {
  const jobs = state.jobs.filter((j) => hasComponent(j, component));
  const pods = state.pods.filter((p) => hasComponent(p, component) && !p.metadata?.deletionTimestamp);
  const problems = pods.map((p) => podProblem(state, p)).filter((b): b is Blocker => b !== undefined);
  const pvcBlockers = state.pvcs.filter((p) => hasComponent(p, component)).map((p) => pvcProblem(state, p)).filter((b): b is Blocker => b !== undefined);
  return (
    jobs.map((j) => failedJob(state, j)).find((b) => b !== undefined) ??
    problems.find((b) => BAD_WAITING.has(b.reason)) ??
    problems.find((b) => b.reason === 'WaitingForJob') ??
    pvcBlockers[0] ??
    problems[0]
  );
}

/** One row per Application, in wave order, with a blocker for anything not Synced and Healthy. */
export function diagnose(apps: readonly Application[], rootName: string, state: LiveState): AppRow[] {
  return orderApplications(apps, rootName).map((app) => {
    const st = app.status ?? {};
    const row: AppRow = {
      name: app.metadata.name,
      wave: app.metadata.name === rootName ? 'root' : waveOf(app),
      component: componentOf(app),
      sync: st.sync?.status ?? 'Unknown',
      health: st.health?.status ?? 'Unknown',
      operation: st.operationState?.phase ?? '',
      revision: (st.sync?.revision ?? st.sync?.revisions?.[0] ?? '').slice(0, 7),
    };
    if (isReady(row)) return row;
    const live = row.wave === 'root' ? undefined : findBlocker(state, row.component);
    const condition = st.conditions?.find((c) => /Error|Warning/.test(c.type ?? ''));
    const fallback: Blocker | undefined =
      st.operationState?.phase && ['Failed', 'Error'].includes(st.operationState.phase)
        ? { kind: 'Application', name: row.name, reason: `Sync${st.operationState.phase}`, message: st.operationState.message ?? 'the last sync failed' }
        : condition
          ? { kind: 'Application', name: row.name, reason: condition.type ?? 'Condition', message: condition.message ?? '' }
          : st.health?.message
            ? { kind: 'Application', name: row.name, reason: row.health, message: st.health.message }
            : undefined;
    const blocker = live ?? fallback;
    return blocker ? { ...row, blocker } : row;
  });
}

export function isReady(row: Pick<AppRow, 'sync' | 'health'>): boolean {
  return row.sync === 'Synced' && row.health === 'Healthy';
}

/** The human table: one line per Application, an indented reason (and log tail) under each one held back. */
export function formatRows(rows: readonly AppRow[]): string {
  const head = ['WAVE', 'APPLICATION', 'SYNC', 'HEALTH', 'OPERATION', 'REVISION'];
  const cells = rows.map((r) => [String(r.wave), r.name, r.sync, r.health, r.operation || '-', r.revision || '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ');
  const out = [line(head)];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    if (r.blocker) {
      out.push(`    ↳ ${r.blocker.kind}/${r.blocker.name} ${r.blocker.reason}: ${r.blocker.message}`);
      if (r.blocker.log) out.push(...r.blocker.log.trimEnd().split('\n').map((l) => `      | ${l}`));
    }
  });
  const ready = rows.filter(isReady).length;
  out.push(`${ready}/${rows.length} Applications Synced and Healthy`);
  return `${out.join('\n')}\n`;
}
