// D-12's guardrails: the ResourceQuota covers the worst case of every workload, the LimitRange admits every container.
import type { V1ResourceQuota } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../scripts/lib/cli.ts';
import { quantity } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { renderEnvironmentDocs } from '../../scripts/lib/pipeline.ts';
import { validateSchemas } from '../../scripts/lib/validate/schema.ts';
import { COMPONENTS } from '../index.ts';
import { allContainers, devEnvironment, find, names, prodEnvironment } from '../lib/testing.ts';
import { namespaceBudget } from './budget.ts';
import { component } from './index.ts';
import type { LimitRange } from './limit-range.ts';
import { podCompute } from './pod-resources.ts';
import { bytes, millicores } from './quantities.ts';
import { worstCase } from './quota.ts';
import { RESTORE_POD_RESOURCES } from './runbook-budget.ts';
import { renderedBudget, rolloutSurge } from './workload-budget.ts';

/** Every component's objects, as the pipeline hands them to derive (patches aside). */
const workloads = (env: Environment): KubernetesObject[] => COMPONENTS.flatMap((c) => c.render(env));
const derived = (env: Environment) => component.derive!(env, workloads(env));
const hardOf = (env: Environment) => find<V1ResourceQuota>(derived(env), 'ResourceQuota', 'orocommerce-quota').spec?.hard ?? {};
const limitsOf = (env: Environment) => find<LimitRange>(derived(env), 'LimitRange', 'orocommerce-defaults').spec.limits[0];
const worst = (env: Environment) => worstCase(namespaceBudget(env, workloads(env)), env.pvcs.limitRange.containerDefaults);

/**
 * prodEnvironment() at its worst, counted by hand: [workload, pods at once, CPU request of one pod in millicores].
 * Init containers (10m–100m) never exceed their pod's running containers here.
 */
const PROD_WORST: readonly [string, number, number][] = [
  ['php-fpm: HPA maxReplicas 20 + surge 1; php-fpm 500m + exporter 10m', 21, 510],
  ['consumer: 2 replicas + surge 1', 3, 200],
  ['cron: Recreate, no surge', 1, 100],
  ['websocket: 1 replica + surge 1', 2, 100],
  ['webserver: 3 replicas + surge 1; nginx 100m + exporter 10m', 4, 110],
  ['postgresql StatefulSet', 1, 2000],
  ['postgres-exporter: 1 replica + the default 25% surge', 2, 10],
  ['volume-init Job', 1, 100],
  ['install Job', 1, 500],
  ['backup CronJob (Forbid)', 1, 100],
  ['restore pod of the db runbook', 1, 500],
  ['stack operator: LimitRange defaultRequest 50m, + surge', 2, 50],
  ['stack kube-state-metrics: 50m, + surge', 2, 50],
  ['stack Grafana 50m + two sidecars at 50m, + surge', 2, 150],
  ['stack Prometheus 200m + config reloader 50m', 1, 250],
  ['stack Alertmanager 10m + config reloader 50m', 1, 60],
];

describe('the ResourceQuota', () => {
  it('covers prod at its worst, computed by hand, plus the 25% headroom', () => {
    const hard = hardOf(prodEnvironment());
    const pods = PROD_WORST.reduce((n, [, count]) => n + count, 0);
    const cpu = PROD_WORST.reduce((n, [, count, each]) => n + count * each, 0);
    expect(pods).toBe(46);
    expect(Number(hard.pods)).toBeGreaterThanOrEqual(pods * 1.25);
    expect(millicores(hard['requests.cpu'] ?? '')).toBeGreaterThanOrEqual(cpu * 1.25);
    // php-fpm alone at HPA max + surge: 21 pods × (1Gi + 64Mi) of memory limits.
    expect(bytes(hard['limits.memory'] ?? '')).toBeGreaterThanOrEqual(21 * (bytes('1Gi') + bytes('64Mi')));
  });

  it('counts storage and claims: the five shared volumes, the backup volume, the database per replica, Prometheus and the restore scratch', () => {
    const hard = hardOf(prodEnvironment());
    // 10 + 5 + 100 + 10 + 1 (shared) + 20 (backup) + 100 (database) + 20 (Prometheus) + 100 (scratch = db.storage.size)
    expect(bytes(hard['requests.storage'] ?? '')).toBeGreaterThanOrEqual(bytes('366Gi') * 1.25);
    expect(Number(hard.persistentvolumeclaims)).toBeGreaterThanOrEqual(9 * 1.25);
  });

  it("sees the environment's patches: a patch that raises a Deployment's replicas raises the quota", () => {
    const pods = (env: Environment) =>
      Number(find<V1ResourceQuota>(renderEnvironmentDocs(env, COMPONENTS, 'environments/prod.yaml').map((d) => d.object), 'ResourceQuota', 'orocommerce-quota').spec?.hard?.pods);
    const patch = { target: { kind: 'Deployment', name: 'orocommerce-app-consumer' }, mergePatch: { spec: { replicas: 30 } } };
    expect(pods(testEnvironment('prod', { patches: [patch] }))).toBeGreaterThan(pods(testEnvironment('prod')) + 20);
  });

  it('grows with the HPA maxReplicas of php-fpm', () => {
    const base = hardOf(prodEnvironment());
    const wider = hardOf(testEnvironment('prod', { topology: { zoneSpread: true }, app: { 'php-fpm': { hpa: { minReplicas: 3, maxReplicas: 40 } } } }));
    expect(Number(wider.pods) - Number(base.pods)).toBeGreaterThanOrEqual(20);
    expect(millicores(wider['requests.cpu'] ?? '') - millicores(base['requests.cpu'] ?? '')).toBeGreaterThanOrEqual(10_000);
  });

  it('adds exactly the headroom asked for, rounded up to whole cores and GiB', () => {
    const env = testEnvironment('prod', { pvcs: { quota: { headroomPercent: 0 } } });
    const w = worst(env);
    expect(hardOf(env)).toEqual({
      'requests.cpu': String(Math.ceil(w['requests.cpu'] / 1000)),
      'requests.memory': `${Math.ceil(w['requests.memory'] / 2 ** 30)}Gi`,
      'limits.cpu': String(Math.ceil(w['limits.cpu'] / 1000)),
      'limits.memory': `${Math.ceil(w['limits.memory'] / 2 ** 30)}Gi`,
      'requests.storage': `${Math.ceil(w['requests.storage'] / 2 ** 30)}Gi`,
      persistentvolumeclaims: String(w.persistentvolumeclaims),
      pods: String(w.pods),
    });
  });

  it('writes quantities the settings and the strict Kubernetes schema accept', () => {
    for (const env of [testEnvironment(), devEnvironment(), prodEnvironment()]) {
      for (const value of Object.values(hardOf(env))) expect(quantity.safeParse(value).success, value).toBe(true);
      const docs = derived(env).map((object) => ({ file: `rendered/${env.name}/pvcs/${object.metadata.name}.yaml`, env: env.name, component: 'pvcs', object }));
      expect(validateSchemas(docs, env.kubernetesVersion)).toEqual([]);
    }
  });

  it('is not rendered with pvcs.quota.enabled: false, while the LimitRange stays', () => {
    const rendered = names(derived(testEnvironment('prod', { pvcs: { quota: { enabled: false } } })));
    expect(rendered).not.toContain('ResourceQuota/orocommerce-quota');
    expect(rendered).toContain('LimitRange/orocommerce-defaults');
  });

  it("budgets kube-prometheus-stack only where it runs, its unset containers at the LimitRange's defaults", () => {
    const defaults = (cpu: string) => testEnvironment('prod', { pvcs: { limitRange: { containerDefaults: { requests: { cpu } } } } });
    // 10 containers take the default: operator ×2, kube-state-metrics ×2, Grafana's two sidecars ×2, Prometheus's and Alertmanager's reloaders.
    expect(worst(defaults('150m'))['requests.cpu'] - worst(defaults('50m'))['requests.cpu']).toBe(10 * 100);
    const off = testEnvironment('prod', { monitoring: { stack: { enabled: false } } });
    expect(worst(testEnvironment('prod')).pods - worst(off).pods).toBe(8);
    expect(worst(testEnvironment('prod')).persistentvolumeclaims - worst(off).persistentvolumeclaims).toBe(1);
  });

  it("counts the db runbook's restore pod with the resources its manifest sets", () => {
    const readme = readFileSync(join(REPO_ROOT, 'apps/db/README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### The restore pod'));
    const field = (name: string) => parse(new RegExp(`^\\s+${name}: (\\{.*\\})$`, 'm').exec(section)?.[1] ?? 'null') as unknown;
    expect({ requests: field('requests'), limits: field('limits') }).toEqual(RESTORE_POD_RESOURCES);
    const noBackup = testEnvironment('prod', { db: { backup: { enabled: false } } });
    expect(worst(testEnvironment('prod')).pods - worst(noBackup).pods).toBe(2);
  });
});

describe('the LimitRange', () => {
  it('gives a container without resources the configured defaults', () => {
    expect(limitsOf(testEnvironment())).toMatchObject({
      type: 'Container',
      default: { cpu: '200m', memory: '256Mi' },
      defaultRequest: { cpu: '50m', memory: '64Mi' },
    });
  });

  it.each([
    ['default', testEnvironment()],
    ['dev', devEnvironment()],
    ['prod', prodEnvironment()],
  ])('admits every container limit of %s: the rendered ones, the stack, the restore pod and the defaults', (_, env) => {
    const item = limitsOf(env);
    const max = { cpu: millicores(item?.max?.cpu ?? ''), memory: bytes(item?.max?.memory ?? '') };
    const stack = env.monitoring.stack;
    const limits = [
      ...allContainers(COMPONENTS.flatMap((c) => c.render(env))).map((c) => c.container.resources?.limits ?? {}),
      ...[stack.prometheus, stack.alertmanager, stack.grafana].map((s) => s.resources.limits),
      RESTORE_POD_RESOURCES.limits,
      item?.default ?? {},
    ];
    for (const l of limits) {
      expect(millicores(l.cpu ?? '0')).toBeLessThanOrEqual(max.cpu);
      expect(bytes(l.memory ?? '0')).toBeLessThanOrEqual(max.memory);
    }
  });

  it("follows the largest limit: the database's in prod", () => {
    expect(limitsOf(prodEnvironment())?.max).toEqual({ cpu: '4', memory: '4Gi' });
  });
});

describe('pods at their worst', () => {
  const defaults = testEnvironment().pvcs.limitRange.containerDefaults;
  const box = (cpu: string, restartPolicy?: string) => ({ name: cpu, restartPolicy, resources: { requests: { cpu, memory: '1Mi' }, limits: { cpu, memory: '1Mi' } } });

  it('count the larger of the init phase and the running containers', () => {
    expect(podCompute({ initContainers: [box('1')], containers: [box('100m'), box('100m')] }, defaults)['requests.cpu']).toBe(1000);
    expect(podCompute({ initContainers: [box('100m')], containers: [box('300m'), box('300m')] }, defaults)['requests.cpu']).toBe(600);
  });

  it('add native sidecars to both phases', () => {
    const pod = { initContainers: [box('100m', 'Always'), box('300m')], containers: [box('200m')] };
    expect(podCompute(pod, defaults)['requests.cpu']).toBe(400);
    expect(podCompute({ ...pod, containers: [box('400m')] }, defaults)['requests.cpu']).toBe(500);
  });

  it('take a missing request from the limit, then from the LimitRange', () => {
    const pod = { containers: [{ name: 'a', resources: { limits: { cpu: '300m' } } }] };
    expect(podCompute(pod, defaults)).toMatchObject({ 'requests.cpu': 300, 'limits.cpu': 300, 'requests.memory': bytes('64Mi'), 'limits.memory': bytes('256Mi') });
  });

  it('surge by maxSurge (25% rounded up by default), not at all with Recreate', () => {
    expect(rolloutSurge({ type: 'Recreate' }, 5)).toBe(0);
    expect([1, 4, 10].map((n) => rolloutSurge(undefined, n))).toEqual([1, 1, 3]);
    expect(rolloutSurge({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%' } }, 3)).toBe(2);
    expect(rolloutSurge({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }, 3)).toBe(2);
  });

  it('refuse what cannot be bounded: overlapping CronJob runs, unknown pod-bearing kinds', () => {
    const template = { spec: { containers: [box('1')] } };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { schedule: '@daily', jobTemplate: { spec: { template } } } };
    expect(() => renderedBudget([cronJob])).toThrow(/CronJob\/x: only concurrencyPolicy Forbid/);
    const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'y' }, spec: { template } };
    expect(() => renderedBudget([daemonSet])).toThrow(/DaemonSet\/y: the ResourceQuota does not know/);
  });
});
