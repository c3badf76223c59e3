// Cross-cutting guarantees of every Oro component, checked on the default, a dev-like and a prod-like environment.
import type { V1Job, V1RoleBinding, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { validateSchemas } from '../../scripts/lib/validate/schema.ts';
import { component as app } from '../app/index.ts';
import { component as db } from '../db/index.ts';
import { component as initJobs } from '../init-jobs/index.ts';
import { component as pvcs } from '../pvcs/index.ts';
import { component as web } from '../web/index.ts';
import { component as websocketAlias } from '../websocket-alias/index.ts';
import { component as websocket } from '../websocket/index.ts';
import { allContainers, devEnvironment, podSpecOf, prodEnvironment } from './testing.ts';

const COMPONENTS: readonly Component[] = [pvcs, db, initJobs, app, websocket, websocketAlias, web];
/** The two containers that must start as root, each with its reason next to its code; their waiters are not root. */
const ROOT_CONTAINERS = ['Job/volume-init volume-init', 'Deployment/orocommerce-app-cron cron'];
/** Every long-running pod that runs Oro's code or serves it. */
const ORO_DEPLOYMENTS = ['orocommerce-app', 'orocommerce-app-consumer', 'orocommerce-app-cron', 'orocommerce-websocket', 'webserver'];

const environments: [string, Environment][] = [
  ['default', testEnvironment()],
  ['dev', devEnvironment()],
  ['prod', prodEnvironment()],
];

const renderAll = (env: Environment): KubernetesObject[] => COMPONENTS.flatMap((c) => c.render(env));

describe.each(environments)('every workload (%s)', (label, env) => {
  const objects = renderAll(env);
  const containers = allContainers(objects);
  const pods = [...new Map(containers.map((c) => [c.owner, c])).values()];

  it('passes the strict schema layer', () => {
    const docs = COMPONENTS.flatMap((c) => c.render(env).map((object) => ({ file: `rendered/${label}/${c.name}/${object.metadata.name}.yaml`, env: label, component: c.name, object })));
    expect(validateSchemas(docs, env.kubernetesVersion)).toEqual([]);
  });

  it('requests and limits CPU and memory in every container and initContainer', () => {
    for (const { owner, container } of containers) {
      const r = container.resources;
      expect([r?.requests?.cpu, r?.requests?.memory, r?.limits?.cpu, r?.limits?.memory].every(Boolean), `${owner} ${container.name}`).toBe(true);
    }
  });

  it('never escalates, drops every capability, confines seccomp and keeps the image read-only', () => {
    for (const { owner, pod, container } of containers) {
      const sc = container.securityContext;
      expect(sc?.allowPrivilegeEscalation, `${owner} ${container.name}`).toBe(false);
      expect(sc?.capabilities?.drop).toEqual(['ALL']);
      expect(sc?.readOnlyRootFilesystem).toBe(true);
      expect(sc?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    }
  });

  it('runs non-root everywhere but the two documented root containers', () => {
    for (const { owner, pod, container } of containers) {
      const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      expect(nonRoot === true, `${owner} ${container.name}`).toBe(!ROOT_CONTAINERS.includes(`${owner} ${container.name}`));
    }
  });

  it('uses a dedicated, rendered ServiceAccount, mounts no token and no Service links', () => {
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name);
    for (const { owner, pod } of pods) {
      expect(pod.serviceAccountName, owner).not.toBe('default');
      expect(accounts).toContain(pod.serviceAccountName);
      expect(pod.automountServiceAccountToken, owner).toBe(false);
      expect(pod.enableServiceLinks, owner).toBe(false);
    }
  });

  it('gives the API token to the kubectl waiters alone', () => {
    for (const { owner, container } of containers) {
      const holdsToken = (container.volumeMounts ?? []).some((m) => m.name === 'kube-api-access');
      const waiter = container.name === 'wait-for-init-jobs' || container.name.startsWith('wait-created-');
      expect(holdsToken, `${owner} ${container.name}`).toBe(waiter);
    }
  });

  it('holds every long-running Oro pod, first of all, until each init job of its image version has completed (M1)', () => {
    const jobs = objects.filter((o) => o.kind === 'Job') as unknown as V1Job[];
    expect(jobs.map((j) => j.metadata?.name).sort()).toEqual(
      ['oro-cache-warmup', `oro-${env['init-jobs'].mode}`, 'oro-maintenance-off', 'oro-maintenance-on', 'oro-upgrade-backup', 'volume-init'].sort(),
    );
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...ORO_DEPLOYMENTS].sort());
    for (const d of deployments) {
      const pod = podSpecOf(d as never);
      const waiters = pod.initContainers?.slice(0, jobs.length + 1) ?? [];
      expect(waiters.map((c) => c.name), d.metadata.name).toEqual([...jobs.map((j) => `wait-created-${j.metadata?.name}`), 'wait-for-init-jobs']);
      for (const [i, job] of jobs.entries()) {
        const labels = job.metadata?.labels ?? {};
        expect(labels['app.kubernetes.io/version']).toBe(env.oro.image.tag);
        const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
        expect(waiters[i]?.command, `${d.metadata.name} waits for ${job.metadata?.name} to exist`).toEqual(expect.arrayContaining(['--for=create', `--selector=${selector}`]));
      }
      expect(waiters.at(-1)?.command).toContain('--for=condition=complete');
      expect(pod.volumes?.map((v) => v.name)).toContain('kube-api-access');
      expect((d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels['orocommerce.io/api-client']).toBe('job-waiter');
    }
  });

  it('binds the ServiceAccount of every waiting pod to the read-only job-waiter Role', () => {
    const bindings = objects.filter((o) => o.kind === 'RoleBinding') as unknown as V1RoleBinding[];
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const account = podSpecOf(d as never).serviceAccountName;
      const bound = bindings.filter((b) => b.roleRef.name === 'job-waiter' && b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === account));
      expect(bound.length, `${d.metadata.name} (${account})`).toBe(1);
    }
  });

  it("mounts the same release's code and cache in every pod that runs or serves Oro's code, jobs and nginx included (M2)", () => {
    const release = env.oro.image.tag;
    const mounts = containers.flatMap(({ owner, container }) => (container.volumeMounts ?? []).map((m) => ({ owner, container: container.name, ...m })));
    const code = mounts.filter((m) => m.mountPath === '/var/www/oro');
    const cache = mounts.filter((m) => m.mountPath === '/var/www/oro/var/cache');
    const oroJobs = [`oro-${env['init-jobs'].mode}`, 'oro-maintenance-on', 'oro-cache-warmup', 'oro-maintenance-off'];
    expect(new Set(code.map((m) => m.owner))).toEqual(new Set([...ORO_DEPLOYMENTS.map((n) => `Deployment/${n}`), ...oroJobs.map((j) => `Job/${j}`)]));
    for (const m of code) expect(m, `${m.owner} ${m.container}`).toMatchObject({ name: 'oro-app', subPath: `releases/${release}` });
    expect(cache.length).toBe(code.length);
    for (const m of cache) expect(m, `${m.owner} ${m.container}`).toMatchObject({ name: 'cache', subPath: release });
  });

  it('pins every image', () => {
    for (const { container } of containers) expect(container.image).toMatch(/^[^:]+(:[^:@]+)?:(?!latest$)(?!.*-latest$)[\w.-]+(@sha256:[0-9a-f]{64})?$/);
  });

  it('has every Service select pods that declare its target ports', () => {
    for (const svc of objects.filter((o) => o.kind === 'Service') as unknown as V1Service[]) {
      const selector = Object.entries(svc.spec?.selector ?? {});
      const selected = containers.filter(({ owner }) => {
        const o = objects.find((x) => `${x.kind}/${x.metadata.name}` === owner) as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
        const labels = o.spec?.template?.metadata?.labels ?? {};
        return selector.every(([k, v]) => labels[k] === v);
      });
      expect(selected.length, svc.metadata?.name).toBeGreaterThan(0);
      for (const port of svc.spec?.ports ?? []) {
        expect(selected.some(({ container }) => (container.ports ?? []).some((p) => p.name === port.targetPort)), `${svc.metadata?.name} ${port.name}`).toBe(true);
      }
    }
  });

  it('renders the same objects every time', () => {
    expect(JSON.stringify(renderAll(env))).toBe(JSON.stringify(objects));
  });
});
