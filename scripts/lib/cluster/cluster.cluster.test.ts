// Every cluster command against a real API server: the control plane scripts/ci/cluster.sh builds from upstream,
// or any cluster KUBECONFIG points at. Applies all environments server-side in wave order (zero rejections, Pod
// Security of the controllers' pods included), then runs bootstrap, validate --server, status, dev-secrets,
// logs and forward as a user would, through their npm entry points.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredSecrets } from '../../../apps/index.ts';
import { loadEnvironment } from '../environment/load.ts';
import type { KubernetesObject } from '../k8s.ts';
import { REPO_ROOT } from '../paths.ts';
import { loadRendered, parseRendered } from '../validate/load-rendered.ts';
import type { Finding } from '../validate/types.ts';
import { connect, type Cluster } from './client.ts';
import { applyOrder } from './plan.ts';
import { validateOnServer } from './server-validate.ts';
import { testCrds } from './testing/crds.ts';
import { EXCEPTIONS } from '../../rules/exceptions.ts';

const ENVS = ['dev', 'staging', 'prod'];
/** Where status, logs and forward meet hand-made pods that no scheduler or kubelet ever touches (scheduling gates). */
const SCRATCH = 'orocommerce-cluster-test';
const GATE = [{ name: 'orocommerce-gitops.test/never-schedule' }];

if (!process.env.KUBECONFIG) {
  throw new Error('npm run test:cluster needs a cluster: run `bash scripts/ci/cluster.sh` (builds and starts one), or set KUBECONFIG to a throwaway cluster (kind, k3d)');
}

let cluster: Cluster;
const created = { crds: [] as string[], argocdNamespace: false };
const docs = loadRendered(REPO_ROOT).docs;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <command> -- args` the way a user does (node scripts/run.mjs, the same bundle). */
function cli(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, ['--disable-proto=delete', 'scripts/run.mjs', command, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a long-running command; `lines` collects stdout and stderr as they come. */
function start(command: string, args: string[]) {
  const child = spawn(process.execPath, ['--disable-proto=delete', 'scripts/run.mjs', command, ...args], { cwd: REPO_ROOT, env: process.env });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out, exited };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const mergePatch = (p: string, body: unknown) => cluster.request('PATCH', p, { body, contentType: 'application/merge-patch+json' });

async function ensureNamespace(name: string): Promise<boolean> {
  if (await cluster.get('v1', 'Namespace', undefined, name)) return false;
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return true;
}

beforeAll(async () => {
  cluster = connect();
  await cluster.request('GET', '/version');
  // A previous run's namespaces may still be terminating on a cluster of your own.
  for (const ns of [...ENVS.map((e) => `orocommerce-${e}`), SCRATCH]) {
    await until(`namespace ${ns} to finish terminating`, async () => !(await cluster.get<KubernetesObject>('v1', 'Namespace', undefined, ns))?.metadata.deletionTimestamp, 180);
  }
});

afterAll(async () => {
  if (!cluster) return;
  // On a cluster of your own, leave nothing behind: namespaces (with everything in them), and only the CRDs this suite created.
  const del = (p: string) => cluster.request('DELETE', p).catch(() => undefined);
  for (const ns of [...ENVS.map((e) => `orocommerce-${e}`), SCRATCH]) await del(`/api/v1/namespaces/${ns}`);
  if (created.argocdNamespace) await del('/api/v1/namespaces/argocd');
  else for (const e of ENVS) for (const name of [`orocommerce-${e}`]) await del(`/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/${name}`);
  for (const crd of created.crds) await del(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`);
});

describe('bootstrap', () => {
  it('refuses with one line where Argo CD is not installed', async () => {
    const hasArgo = await cluster.serves('argoproj.io/v1alpha1', 'Application');
    const r = cli('bootstrap', ['--env', 'dev']);
    if (hasArgo) {
      // A cluster of your own with Argo CD: the refusal cannot be shown; the namespace check below still runs.
      expect(r.code).not.toBe(3);
      return;
    }
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^bootstrap: Argo CD is not installed on the cluster at https:\/\/\S+: the API serves no argoproj.io\/v1alpha1 AppProject, Application \(install Argo CD first/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('installs the CRDs the output uses (where missing) and they become Established', async () => {
    for (const crd of testCrds()) {
      if (await cluster.get(crd.apiVersion, crd.kind, undefined, crd.metadata.name)) continue;
      await cluster.apply(crd);
      created.crds.push(crd.metadata.name);
    }
    for (const name of created.crds) {
      await until(`CRD ${name} Established`, async () => {
        const c = await cluster.get<{ status?: { conditions?: { type: string; status: string }[] } }>('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, name);
        return c?.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
      });
    }
    cluster.resetDiscovery();
    await until('discovery of argoproj.io', async () => {
      cluster.resetDiscovery();
      return cluster.serves('argoproj.io/v1alpha1', 'Application');
    });
  });

  it('refuses where Argo CD has no namespace, then applies, is idempotent, and --dry-run persists nothing', async () => {
    if (!(await cluster.get('v1', 'Namespace', undefined, 'argocd'))) {
      const refused = cli('bootstrap', ['--env', 'dev']);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/^bootstrap: namespace argocd does not exist on the cluster/);
      created.argocdNamespace = await ensureNamespace('argocd');
    }
    const dry = cli('bootstrap', ['--env', 'dev', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('AppProject/orocommerce-dev (argocd): created (dry run)');
    expect(await cluster.get('argoproj.io/v1alpha1', 'AppProject', 'argocd', 'orocommerce-dev')).toBeUndefined();

    const first = cli('bootstrap', ['--env', 'dev']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ConfigMap\/argocd-cm \(argocd\): (created|configured)\nAppProject\/orocommerce-dev \(argocd\): created\nApplication\/orocommerce-dev \(argocd\): created\n$/);
    const again = cli('bootstrap', ['--env', 'dev', '-o', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      applied: [
        { kind: 'ConfigMap', name: 'argocd-cm', namespace: 'argocd', result: 'unchanged', dryRun: false },
        { kind: 'AppProject', name: 'orocommerce-dev', namespace: 'argocd', result: 'unchanged', dryRun: false },
        { kind: 'Application', name: 'orocommerce-dev', namespace: 'argocd', result: 'unchanged', dryRun: false },
      ],
    });
    const cm = await cluster.get<KubernetesObject & { data: Record<string, string> }>('v1', 'ConfigMap', 'argocd', 'argocd-cm');
    expect(Object.keys(cm!.data).sort()).toEqual(['resource.customizations.health.PersistentVolumeClaim', 'resource.customizations.health.argoproj.io_Application']);
    expect(cm!.metadata.managedFields?.map((m) => m.manager)).toContain('orocommerce-gitops');
  });
});

describe('every environment, applied server-side in wave order', () => {
  for (const env of ENVS) {
    it(`${env}: zero rejections, and the controllers' pods pass Pod Security admission`, async () => {
      const warnings: { kind: string; name: string; warning: string }[] = [];
      const findings = await validateOnServer(cluster, docs, env, { dryRun: false, onWarning: (p, warning) => warnings.push({ kind: p.object.kind, name: p.object.metadata.name, warning }) });
      expect(findings).toEqual([]);
      // The namespaces warn at restricted: exactly the workloads with a documented exception get a Pod Security warning.
      const psa = warnings.filter((w) => /would violate PodSecurity "restricted:v1\.33"/.test(w.warning));
      expect([...new Set(psa.map((w) => `${w.kind}/${w.name}`))].sort()).toEqual(EXCEPTIONS.map((e) => `${e.kind}/${e.name}`).sort());
      // Anything else the API server warns about is Argo CD's own finalizer name, which Argo CD defines.
      for (const w of warnings.filter((x) => !psa.includes(x))) expect(w.warning).toMatch(/^metadata\.finalizers: "resources-finalizer\.argocd\.argoproj\.io": prefer a domain-qualified finalizer name/);
      const ns = (await loadEnvironment(REPO_ROOT, env)).destination.namespace;
      // Every workload the controllers turn into pods (Deployments via ReplicaSets, StatefulSets, Jobs) gets its pods.
      const workloads = applyOrder(docs, env).filter((p) => ['Deployment', 'StatefulSet', 'Job'].includes(p.object.kind));
      expect(workloads.length).toBeGreaterThan(0);
      for (const w of workloads) {
        const labels = ((w.object.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels);
        const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
        await until(`pods of ${w.object.kind}/${w.object.metadata.name} in ${ns}`, async () => {
          const failed = (await cluster.list<CoreV1Event>('v1', 'Event', ns)).filter((e) => e.reason === 'FailedCreate');
          if (failed.length > 0) throw new Error(failed.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}: ${e.message}`).join('\n'));
          return (await cluster.list<V1Pod>('v1', 'Pod', ns, selector)).length > 0;
        }, 90);
      }
    });
  }

  it('validate --server finds nothing in any applied environment', () => {
    for (const env of ENVS) {
      const r = cli('validate', ['--server', '--env', env]);
      expect(r.stderr).toMatch(/^warning: rendered\/\w+\/init-jobs\/job-volume-init.yaml Job\/volume-init: would violate PodSecurity "restricted:v1\.33": /);
      expect(r.stdout).toMatch(/^validate: no findings \(\d+ documents, 1 environment\)\n$/);
      expect(r.code).toBe(0);
    }
  });
});

describe('validate --server', () => {
  const file = 'rendered/dev/corpus/server-rejects.yaml';
  const corpus = parseRendered(readFileSync(path.join(import.meta.dirname, 'fixtures', 'server-rejects.yaml'), 'utf8'), file);

  it('reports every object of the planted corpus the API server rejects, in the offline format', async () => {
    expect(corpus.findings).toEqual([]);
    const findings = await validateOnServer(cluster, corpus.docs, 'dev');
    const by = (name: string): Finding | undefined => findings.find((f) => f.name === name);
    const expected: Record<string, [string, RegExp]> = {
      'privileged-pod': ['server-rejected', /forbidden: violates PodSecurity "baseline:v1\.33": privileged/],
      'host-network-deployment': ['server-pod-security', /its pods would be rejected: .*violates PodSecurity "baseline:v1\.33": host namespaces \(hostNetwork=true\)/],
      'bad-service-type': ['server-rejected', /spec.type: Unsupported value: "Loadbalancer"/],
      'bad-key': ['server-rejected', /a valid config key must consist of alphanumeric characters/],
      'selector-mismatch': ['server-rejected', /`selector` does not match template `labels`/],
      'unknown-field': ['server-rejected', /\.automountServiceAccountTokens: field not declared in schema/],
      'bad-schedule': ['server-rejected', /spec\.schedule: Invalid value: "every night": expected exactly 5 fields/],
      'unknown-crd-field': ['server-rejected', /\.spec\.sourceRepoz: field not declared in schema/],
      'unserved-kind': ['server-unknown-kind', /does not serve example.com\/v1 Widget/],
      'long-label-value': ['server-rejected', /must be no more than 63 characters/],
    };
    for (const [name, [rule, message]] of Object.entries(expected)) {
      expect(by(name), name).toMatchObject({ file, rule });
      expect(by(name)!.message, name).toMatch(message);
    }
    expect(findings).toHaveLength(Object.keys(expected).length);
    // A dry run persisted nothing.
    expect(await cluster.get('v1', 'ConfigMap', 'orocommerce-dev', 'long-label-value')).toBeUndefined();
  });
});

describe('dev-secrets', () => {
  it('refuses an environment whose Secrets come from a secret store', () => {
    const r = cli('dev-secrets', ['--env', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dev-secrets: environment prod reads its Secrets from the \w+ \S+ through External Secrets/);
  });

  it('creates exactly the required Secrets and keys with strong values it never prints, and never overwrites', async () => {
    const env = await loadEnvironment(REPO_ROOT, 'dev');
    const required = requiredSecrets(env);
    const first = cli('dev-secrets', ['--env', 'dev']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const values: string[] = [];
    const versions: Record<string, string> = {};
    for (const r of required) {
      const s = await cluster.get<KubernetesObject & { data: Record<string, string> }>('v1', 'Secret', env.destination.namespace, r.name);
      expect(Object.keys(s!.data).sort()).toEqual([...r.keys].sort());
      for (const [k, v] of Object.entries(s!.data)) {
        const value = Buffer.from(v, 'base64').toString();
        values.push(value);
        expect(value, `${r.name}.${k}`).toMatch(/user$/.test(k) ? /^admin$/ : /^[0-9a-f]{48}$/);
      }
      versions[r.name] = s!.metadata.resourceVersion!;
      expect(first.stdout).toContain(`Secret/${r.name} (${r.keys.join(', ')}): created\n`);
    }
    for (const v of values.filter((x) => x !== 'admin')) expect(first.stdout + first.stderr).not.toContain(v);

    const second = cli('dev-secrets', ['--env', 'dev', '-o', 'json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).secrets.map((s: { action: string }) => s.action)).toEqual(required.map(() => 'exists'));
    for (const r of required) expect((await cluster.get<KubernetesObject>('v1', 'Secret', env.destination.namespace, r.name))!.metadata.resourceVersion).toBe(versions[r.name]);
  });
});

describe('status', () => {
  const labels = (component: string, name: string) => ({ 'app.kubernetes.io/component': component, 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'orocommerce-dev' });
  const pod = (name: string, component: string, extra: Record<string, unknown> = {}, jobName?: string): KubernetesObject =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: SCRATCH, labels: { ...labels(component, name), ...(jobName ? { 'job-name': jobName } : {}) } },
      spec: { schedulingGates: GATE, containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }], ...extra },
    }) as KubernetesObject;
  const podStatus = (name: string, status: unknown) => mergePatch(`/api/v1/namespaces/${SCRATCH}/pods/${name}/status`, { status });
  const appPath = (name: string) => `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${name}`;
  const healthy = { sync: { status: 'Synced', revision: '4f2c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } };
  const apps = applyOrder(docs, 'dev').filter((p) => p.object.kind === 'Application').map((p) => p.object.metadata.name);

  beforeAll(async () => {
    await ensureNamespace(SCRATCH);
    // The init jobs, suspended so that no controller makes pods for them; their pods are made by hand below.
    for (const [name, wave] of [['volume-init', '3'], ['oro-restore', '4']] as const) {
      await cluster.create({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: SCRATCH, labels: labels('init-jobs', name), annotations: { 'argocd.argoproj.io/sync-wave': wave } },
        spec: { suspend: true, backoffLimit: 0, template: { metadata: { labels: labels('init-jobs', name) }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] } } },
      } as KubernetesObject);
      await cluster.create(pod(`${name}-pod`, 'init-jobs', {}, name));
    }
    const rendered = docs.find((d) => d.env === 'dev' && d.object.kind === 'Deployment' && d.object.metadata.name === 'orocommerce-app')!.object;
    const waiter = (rendered.spec as { template: { spec: { initContainers: { name: string; command: string[] }[] } } }).template.spec.initContainers.find((c) => c.name === 'wait-for-init-jobs')!;
    await cluster.create(pod('app-pod', 'app', { initContainers: [{ name: waiter.name, image: 'registry.k8s.io/pause:3.10', command: waiter.command }] }));
    await cluster.create(pod('web-pod', 'web'));
    await cluster.create(pod('db-pod', 'db'));
    await cluster.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pvc-test', namespace: SCRATCH, labels: labels('pvcs', 'pvc-test') }, spec: { storageClassName: 'no-such-class', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as KubernetesObject);

    // What a kubelet would report.
    const started = new Date().toISOString();
    await podStatus('app-pod', { phase: 'Pending', initContainerStatuses: [{ name: 'wait-for-init-jobs', image: 'registry.k8s.io/pause:3.10', imageID: '', ready: false, restartCount: 0, state: { running: { startedAt: started } } }] });
    await podStatus('web-pod', { phase: 'Pending', containerStatuses: [{ name: 'main', image: 'registry.k8s.io/pause:3.10', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.k8s.io/pause:3.10"' } } }] });
    // What the Job controller would write for a Job out of retries.
    await mergePatch(`/apis/batch/v1/namespaces/${SCRATCH}/jobs/volume-init/status`, {
      status: {
        startTime: started,
        failed: 1,
        conditions: [
          { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: started, lastProbeTime: started },
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: started, lastProbeTime: started },
        ],
      },
    });
    // What Argo CD's application controller would write. Argo CD's Application CRD has no status subresource, so the
    // controller patches the object itself; so does this test.
    for (const name of apps) await mergePatch(appPath(name), { status: healthy });
    await mergePatch(appPath('orocommerce-dev-init-jobs'), { status: { health: { status: 'Degraded' }, operationState: { phase: 'Running' } } });
    await mergePatch(appPath('orocommerce-dev-app'), { status: { health: { status: 'Progressing' } } });
    await mergePatch(appPath('orocommerce-dev-web'), { status: { health: { status: 'Progressing' } } });
    await mergePatch(appPath('orocommerce-dev-db'), { status: { health: { status: 'Progressing' } } });
    await mergePatch(appPath('orocommerce-dev-pvcs'), { status: { health: { status: 'Progressing' } } });
  });

  it('shows the Applications in wave order and, under each one held back, the live object and why; exit 1', async () => {
    const r = cli('status', ['--env', 'dev', '-n', SCRATCH]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^WAVE +APPLICATION +SYNC +HEALTH +OPERATION +REVISION$/);
    expect(lines[1]).toMatch(/^root +orocommerce-dev +Synced +Healthy +Succeeded +4f2c1d0$/);
    expect(r.stdout).toMatch(/\n0 +orocommerce-dev-pvcs +Synced +Progressing .*\n {4}↳ PersistentVolumeClaim\/pvc-test Pending: .*no-such-class/);
    expect(r.stdout).toMatch(/\n1 +orocommerce-dev-db .*\n {4}↳ Pod\/db-pod Pending: SchedulingGated: /);
    expect(r.stdout).toMatch(/\n2 +orocommerce-dev-init-jobs +Synced +Degraded +Running .*\n {4}↳ Job\/volume-init BackoffLimitExceeded: Job has reached the specified backoff limit\n {6}\| \(pod volume-init-pod has no log: /);
    expect(r.stdout).toMatch(/\n3 +orocommerce-dev-app .*\n {4}↳ Pod\/app-pod WaitingForJob: init container wait-for-init-jobs waits for a Job labelled app.kubernetes.io\/name in \([^)]*volume-init\),/);
    expect(r.stdout).toMatch(/\n6 +orocommerce-dev-web .*\n {4}↳ Pod\/web-pod ImagePullBackOff: container main: Back-off pulling image/);
    expect(r.stdout).toMatch(/\n4\/9 Applications Synced and Healthy\n$/);
    const order = [...r.stdout.matchAll(/^(\S+) +(orocommerce-dev\S*)/gm)].map((m) => m[2]);
    expect(order).toEqual(['orocommerce-dev', ...apps.filter((a) => a !== 'orocommerce-dev')]);
  });

  it('-o json is data, and exit 0 once everything is Synced and Healthy; --watch follows the change', async () => {
    const json = JSON.parse(cli('status', ['--env', 'dev', '-n', SCRATCH, '-o', 'json']).stdout) as { ready: boolean; applications: { name: string; blocker?: { kind: string } }[] };
    expect(json.ready).toBe(false);
    expect(json.applications.find((a) => a.name === 'orocommerce-dev-init-jobs')!.blocker!.kind).toBe('Job');

    const watch = start('status', ['--env', 'dev', '-n', SCRATCH, '--watch', '--interval', '1', '-o', 'json']);
    await until('the first status line', () => watch.out.stdout.includes('\n'), 30);
    for (const name of apps) await mergePatch(appPath(name), { status: healthy });
    await until('a status line with everything ready', () => watch.out.stdout.includes('"ready":true'), 30);
    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);

    // Argo CD's cluster named by its own context (here the same cluster under the kubeconfig's current context).
    const ok = cli('status', ['--env', 'dev', '-n', SCRATCH, '--argocd-context', cluster.contextName]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain('↳');
  });

  it('says in one line when there is no cluster, bad credentials or no permission (exit 4)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
    try {
      const kc = cluster.kc;
      const server = kc.getCurrentCluster()!;
      const write = (name: string, user: Record<string, unknown>, srv = server.server) => {
        const file = path.join(dir, name);
        const clusterEntry = { server: srv, ...(server.caFile ? { 'certificate-authority': server.caFile } : {}), ...(server.caData ? { 'certificate-authority-data': server.caData } : {}), ...(server.skipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}) };
        writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: clusterEntry }], users: [{ name: 'u', user }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
        return file;
      };
      const refused = cli('status', ['--env', 'dev', '--kubeconfig', write('refused', { token: 'x' }, 'https://127.0.0.1:1')]);
      expect(refused.code).toBe(4);
      expect(refused.stderr).toBe('status: cannot reach the cluster at https://127.0.0.1:1 (context x): ECONNREFUSED\n');

      const bad = cli('status', ['--env', 'dev', '--kubeconfig', write('bad', { token: 'not-a-token' })]);
      expect(bad.code).toBe(4);
      expect(bad.stderr).toMatch(/^status: the cluster at \S+ rejected the credentials of context x \(401 Unauthorized\)/);

      // A ServiceAccount with no role: authenticated, allowed nothing.
      await cluster.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: SCRATCH } });
      const token = await cluster.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${SCRATCH}/serviceaccounts/nobody/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } } });
      const denied = cli('status', ['--env', 'dev', '--kubeconfig', write('denied', { token: token.status.token })]);
      expect(denied.code).toBe(4);
      expect(denied.stderr).toMatch(/^status: no permission \(context x\): .*system:serviceaccount:orocommerce-cluster-test:nobody.* cannot /);
      expect(denied.stderr.trim().split('\n')).toHaveLength(1);

      const noContext = cli('status', ['--env', 'dev', '--context', 'nope']);
      expect(noContext.code).toBe(4);
      expect(noContext.stderr).toMatch(/^status: no context nope in the kubeconfig/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('logs', () => {
  it('reads the init jobs in wave order (volume-init, then oro-restore) and says why a log cannot be read', () => {
    const r = cli('logs', ['--env', 'dev', 'init-jobs', '-n', SCRATCH, '--no-follow']);
    // The pods are never scheduled here, so no container has a log; the API's reason is printed per container.
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('logs: [volume-init-pod/main] log unavailable: pod volume-init-pod has no log yet (its container has not run, or wrote nothing)');
    expect(lines[1]).toMatch(/^logs: \[oro-restore-pod\/main\] log unavailable: /);
  });

  it('refuses an unknown component with the list of components', () => {
    const r = cli('logs', ['--env', 'dev', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^logs: expected one COMPONENT of app, db, init-jobs, monitoring, pvcs, web, websocket, websocket-alias/);
  });
});

describe('forward', () => {
  const connectOnce = (port: number) =>
    new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });

  it('listens for all four, resolves each connection to a ready pod afresh, and stops cleanly on Ctrl-C', async () => {
    const f = start('forward', ['--env', 'dev', '-n', SCRATCH, '--port', 'shop=0', '--port', 'grafana=0', '--port', 'prometheus=0', '--port', 'postgresql=0']);
    await until('the forward URLs', () => f.out.stdout.includes('Ctrl-C'), 30);
    const ports = Object.fromEntries([...f.out.stdout.matchAll(/^(\w+) +\S+:\/\/[\w.]+:(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(ports).sort()).toEqual(['grafana', 'postgresql', 'prometheus', 'shop']);
    expect(f.out.stdout).toMatch(/^shop +http:\/\/oro.localhost:\d+ \(back office \/admin\) +-> svc\/webserver:80$/m);

    await connectOnce(ports.shop!);
    await until('the missing Service reported', () => f.out.stderr.includes(`forward: shop: no Service webserver in namespace ${SCRATCH}`), 20);

    const sel = { 'app.kubernetes.io/name': 'webserver-test' };
    await cluster.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'webserver', namespace: SCRATCH }, spec: { selector: sel, ports: [{ port: 80, targetPort: 'http' }] } } as KubernetesObject);
    for (const name of ['web-a', 'web-b']) {
      await cluster.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: SCRATCH, labels: sel }, spec: { schedulingGates: GATE, containers: [{ name: 'nginx', image: 'registry.k8s.io/pause:3.10', ports: [{ name: 'http', containerPort: 8080 }] }] } } as KubernetesObject);
    }
    await connectOnce(ports.shop!);
    await until('no ready pod reported', () => f.out.stderr.includes('forward: shop: no ready pod behind Service webserver'), 20);

    const ready = (ok: boolean) => ({ phase: 'Running', conditions: [{ type: 'Ready', status: ok ? 'True' : 'False' }] });
    await mergePatch(`/api/v1/namespaces/${SCRATCH}/pods/web-a/status`, { status: ready(true) });
    await connectOnce(ports.shop!);
    // No kubelet behind these pods: the API server cannot open the stream, and says so for the pod that was picked.
    await until('a forward attempt to web-a', () => f.out.stderr.includes('forward: shop: pod web-a: '), 20);
    // The pod "restarts": web-a is no longer ready, web-b is. The next connection goes to web-b.
    await mergePatch(`/api/v1/namespaces/${SCRATCH}/pods/web-a/status`, { status: ready(false) });
    await mergePatch(`/api/v1/namespaces/${SCRATCH}/pods/web-b/status`, { status: ready(true) });
    await connectOnce(ports.shop!);
    await until('a forward attempt to web-b', () => f.out.stderr.includes('forward: shop: pod web-b: '), 20);

    f.child.kill('SIGINT');
    expect(await f.exited).toBe(0);
    expect(f.out.stdout).toMatch(/forward: stopped\n$/);
  });
});
