// The rendered init-job waiters run as written: prod's Deployment's kubectl initContainers, their exact argv executed
// with a real kubectl (scripts/ci/cluster.sh builds it; KUBECTL names it) against a real API server, in a scratch
// namespace, with the Jobs they wait for created and completed the way Argo CD and the Job controller do.
import { spawn, spawnSync } from 'node:child_process';
import type { V1Container, V1Deployment, V1Job, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../../../apps/index.ts';
import { loadEnvironment } from '../environment/load.ts';
import type { KubernetesObject } from '../k8s.ts';
import { REPO_ROOT } from '../paths.ts';
import { renderEnvironmentDocs } from '../pipeline.ts';
import { connect, type Cluster } from './client.ts';

if (!process.env.KUBECONFIG) {
  throw new Error('npm run test:cluster needs a cluster: run `bash scripts/ci/cluster.sh` (builds and starts one), or set KUBECONFIG to a throwaway cluster (kind, k3d)');
}
const KUBECTL = process.env.KUBECTL;
if (!KUBECTL) {
  throw new Error('the waiter tests need kubectl 1.33 or newer: run `bash scripts/ci/cluster.sh` (builds it and sets KUBECTL), or set KUBECTL to its path');
}

const ENV = 'prod';
const DEPLOYMENT = 'orocommerce-app';
const SCRATCH = 'orocommerce-waiters-test';
/** Jobs with this managedBy are skipped by the Job controller (JobManagedBy, on by default since 1.32): this suite writes their status. */
const MANAGED_BY = 'orocommerce-gitops.test/waiters';
/** How long a waiter must keep blocking to count as "blocks"; kubectl answers a met condition within a second here. */
const BLOCK_MS = 3000;

let cluster: Cluster;
let namespace = '';
let jobs: V1Job[] = [];
let waiters: V1Container[] = [];
let role: V1Role;
let binding: V1RoleBinding;
let serviceAccount = '';

/** `argv` with the one element `from` turned into `to`; fails the test when it is not there exactly once. */
function substitute(argv: readonly string[], from: string | RegExp, to: string): string[] {
  const hits = argv.filter((a) => (typeof from === 'string' ? a === from : from.test(a)));
  expect(hits, `${String(from)} in ${argv.join(' ')}`).toHaveLength(1);
  return argv.map((a) => (typeof from === 'string' ? a === from : from.test(a)) ? to : a);
}

/** A waiter's command as the pod would run it, against the test cluster: kubectl's path and the namespace replaced. */
function runnable(container: V1Container): string[] {
  const argv = container.command ?? [];
  expect(argv[0], container.name).toBe('/bin/kubectl');
  return substitute(substitute(argv, '/bin/kubectl', KUBECTL!), `--namespace=${namespace}`, `--namespace=${SCRATCH}`);
}

interface Run {
  argv: string[];
  code: number | null | undefined;
  out: string;
  exited: Promise<number | null>;
  kill: () => void;
}

/** Starts kubectl with the suite's KUBECONFIG; `code` stays undefined while it runs. */
function start(argv: string[]): Run {
  const [program, ...args] = argv;
  const child = spawn(program!, args, { env: process.env });
  const run: Run = { argv, code: undefined, out: '', exited: undefined as never, kill: () => child.kill('SIGKILL') };
  child.stdout.on('data', (d: Buffer) => (run.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (run.out += d.toString()));
  run.exited = new Promise((resolve) => child.on('exit', (code) => resolve((run.code = code))));
  return run;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails with the command and its output when `run` has not exited `code` within `seconds`. */
async function expectExit(run: Run, code: number, seconds = 30): Promise<void> {
  const timer = sleep(seconds * 1000).then(() => 'running' as const);
  const result = await Promise.race([run.exited, timer]);
  if (result === 'running') run.kill();
  expect(result, `${run.argv.join(' ')}\n${run.out}`).toBe(code);
}

function expectRunning(runs: readonly Run[], why: string): void {
  for (const run of runs) expect(run.code, `${why}: ${run.argv.join(' ')} exited early\n${run.out}`).toBeUndefined();
}

/** The rendered Job as Argo CD creates it, moved to the scratch namespace and handed to this suite instead of the Job controller. */
function jobObject(job: V1Job, labels: Record<string, string> = {}, name = job.metadata!.name!): KubernetesObject {
  return {
    ...job,
    metadata: { ...job.metadata, name, namespace: SCRATCH, labels: { ...job.metadata!.labels, ...labels } },
    spec: { ...job.spec!, managedBy: MANAGED_BY },
  } as KubernetesObject;
}

/** Creates what a failed earlier test left out, so each test fails for its own reason only. */
async function ensureJobs(): Promise<void> {
  for (const job of jobs) {
    for (const obj of [jobObject(job, { 'app.kubernetes.io/version': 'previous' }, `${job.metadata!.name}-previous`), jobObject(job)]) {
      if (!(await cluster.get('batch/v1', 'Job', SCRATCH, obj.metadata.name!))) await cluster.create(obj);
    }
  }
}

const jobPath = (name: string) => `/apis/batch/v1/namespaces/${SCRATCH}/jobs/${name}`;

/**
 * Marks a Job complete through the status subresource with what the Job controller writes on success. 1.33's
 * validation (pkg/apis/batch/validation ValidateJobStatusUpdate) requires Complete=True to come with
 * SuccessCriteriaMet=True, a startTime and a completionTime not before it, and no active pods.
 */
async function complete(name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type: string) => ({ type, status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now });
  await cluster.request('PATCH', `${jobPath(name)}/status`, {
    contentType: 'application/merge-patch+json',
    body: { status: { startTime: now, completionTime: now, succeeded: 1, active: 0, conditions: [condition('SuccessCriteriaMet'), condition('Complete')] } },
  });
}

beforeAll(async () => {
  cluster = connect();
  const env = await loadEnvironment(REPO_ROOT, ENV);
  namespace = env.destination.namespace;
  const objects = renderEnvironmentDocs(env, COMPONENTS, `environments/${ENV}.yaml`, requiredSecrets(env)).map((d) => d.object);
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === DEPLOYMENT) as V1Deployment | undefined;
  if (!deployment) throw new Error(`${ENV} renders no Deployment ${DEPLOYMENT}`);
  const pod = deployment.spec!.template.spec!;
  waiters = (pod.initContainers ?? []).filter((c) => c.command?.[0] === '/bin/kubectl');
  serviceAccount = pod.serviceAccountName ?? '';
  const created = waiters.filter((c) => c.name.startsWith('wait-created-')).map((c) => c.name.slice('wait-created-'.length));
  jobs = created.map((name) => {
    const job = objects.find((o) => o.kind === 'Job' && o.metadata.name === name);
    if (!job) throw new Error(`${DEPLOYMENT}'s waiter wait-created-${name} waits for a Job ${ENV} does not render`);
    return job as V1Job;
  });
  role = objects.find((o) => o.kind === 'Role' && o.metadata.name === 'job-waiter') as V1Role;
  const bindings = objects.filter((o) => o.kind === 'RoleBinding') as unknown as V1RoleBinding[];
  binding = bindings.find((b) => b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount))!;

  const version = spawnSync(KUBECTL, ['version', '--client', '--output=json'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error(`KUBECTL=${KUBECTL} does not run: ${version.error?.message ?? version.stderr}`);
  // No version check: a build from the Go modules reports v0.0.0. A kubectl older than 1.33 fails the first test
  // on its own (its --for=create counts an empty selector match as created and returns at once).

  // A previous run's namespace may still be terminating on a cluster of your own.
  for (let i = 0; await cluster.get('v1', 'Namespace', undefined, SCRATCH); i++) {
    if (i === 0) await cluster.request('DELETE', `/api/v1/namespaces/${SCRATCH}`).catch(() => undefined);
    if (i > 120) throw new Error(`namespace ${SCRATCH} from an earlier run is still terminating after 60s`);
    await sleep(500);
  }
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SCRATCH } });
});

afterAll(async () => {
  if (cluster) await cluster.request('DELETE', `/api/v1/namespaces/${SCRATCH}`).catch(() => undefined);
});

describe(`${ENV}'s ${DEPLOYMENT} init-job waiters with kubectl ${process.env.KUBECTL}`, () => {
  it('are the rendered ones: one wait-created per init Job, then wait-for-init-jobs, bound to the job-waiter Role', () => {
    expect(jobs.length).toBeGreaterThan(1);
    expect(waiters.map((c) => c.name)).toEqual([...jobs.map((j) => `wait-created-${j.metadata!.name}`), 'wait-for-init-jobs']);
    expect(serviceAccount).not.toBe('');
    expect(role, 'the job-waiter Role').toBeDefined();
    expect(binding?.roleRef).toMatchObject({ kind: 'Role', name: role.metadata!.name });
  });

  it('each wait-created-<job> blocks while its Job does not exist (an older version\'s does not count) and returns 0 once it is created', async () => {
    const runs = waiters.slice(0, -1).map((c) => start(runnable(c)));
    try {
      await sleep(BLOCK_MS);
      expectRunning(runs, 'no Job exists');
      // Jobs left from the previous image: same labels but the version; the selector must not match them.
      for (const job of jobs) await cluster.create(jobObject(job, { 'app.kubernetes.io/version': 'previous' }, `${job.metadata!.name}-previous`));
      await sleep(BLOCK_MS);
      expectRunning(runs, 'only Jobs of another app.kubernetes.io/version exist');
      // Created one by one, in the order Argo CD's waves create them: exactly the matching waiter returns.
      for (const [i, job] of jobs.entries()) {
        await cluster.create(jobObject(job));
        await expectExit(runs[i]!, 0);
        expectRunning(runs.slice(i + 1), `only ${jobs.slice(0, i + 1).map((j) => j.metadata!.name).join(', ')} exist`);
      }
    } finally {
      for (const run of runs) run.kill();
    }
  });

  it('wait-for-init-jobs, as the pod\'s ServiceAccount through the rendered Role, blocks until every init Job is Complete, ignoring other versions\' Jobs', async () => {
    const ns = (o: KubernetesObject) => ({ ...o, metadata: { ...o.metadata, namespace: SCRATCH } }) as KubernetesObject;
    await ensureJobs();
    await cluster.create(ns(role as unknown as KubernetesObject));
    await cluster.create(ns(binding as unknown as KubernetesObject));
    const argv = [...runnable(waiters.at(-1)!), `--as=system:serviceaccount:${SCRATCH}:${serviceAccount}`];

    // The control: the same wait as a ServiceAccount the Role is not bound to is refused, so the pass below is the Role's.
    const unbound = start(substitute(argv, /^--as=/, `--as=system:serviceaccount:${SCRATCH}:not-bound`));
    await expectExit(unbound, 1);
    expect(unbound.out).toMatch(/forbidden/i);

    const run = start(argv);
    try {
      for (const job of jobs.slice(0, -1)) await complete(job.metadata!.name!);
      await sleep(BLOCK_MS);
      expectRunning([run], `${jobs.at(-1)!.metadata!.name} is not complete`);
      await complete(jobs.at(-1)!.metadata!.name!);
      // The previous version's Jobs stay incomplete: the waiter must not wait for them.
      await expectExit(run, 0);
      expect(run.out).toContain(`job.batch/${jobs.at(-1)!.metadata!.name} condition met`);
      // Without `watch` kubectl still gets there by listing again with back-off, logging each refusal: none here.
      expect(run.out).not.toMatch(/forbidden|Failed to watch/);
    } finally {
      run.kill();
    }
  });

  it('wait-for-init-jobs fails at its --timeout while one init Job never completes (a Job recreated by Argo CD)', async () => {
    await ensureJobs();
    const last = jobs.at(-1)!;
    await cluster.request('DELETE', jobPath(last.metadata!.name!), { query: { propagationPolicy: 'Background' } });
    for (let i = 0; await cluster.get('batch/v1', 'Job', SCRATCH, last.metadata!.name!); i++) {
      if (i > 60) throw new Error(`Job ${last.metadata!.name} was not deleted within 30s`);
      await sleep(500);
    }
    await cluster.create(jobObject(last));
    const argv = substitute(runnable(waiters.at(-1)!), /^--timeout=\d+s$/, '--timeout=5s');
    const started = Date.now();
    const run = start(argv);
    await expectExit(run, 1, 60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(run.out).toContain('timed out waiting for the condition');
  });
});
