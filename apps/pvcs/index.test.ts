// The pvcs component: seed sizes, per-environment class and mode, the refusal of unshareable volumes, the namespace policies and guardrails.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { devEnvironment, find, names, prodEnvironment } from '../lib/testing.ts';
import { WAITER_POD_LABELS } from '../lib/waiter.ts';
import { COMPONENTS } from '../index.ts';
import { component } from './index.ts';

const pvc = (env = testEnvironment(), name = 'pvc-oro-app') => find<V1PersistentVolumeClaim>(component.render(env), 'PersistentVolumeClaim', name);
const policy = (env = testEnvironment(), name: string) => find<NetworkPolicy>(component.render(env), 'NetworkPolicy', name);

describe('pvcs component', () => {
  it('is wave 0', () => {
    expect(component.wave).toBe(0);
  });

  it('derives the LimitRange and the ResourceQuota from every component, into its own wave (D-12)', () => {
    const env = testEnvironment();
    expect(names(component.render(env))).not.toContain('ResourceQuota/orocommerce-quota');
    const derived = component.derive!(env, COMPONENTS.flatMap((c) => c.render(env)));
    expect(names(derived)).toEqual(['LimitRange/orocommerce-defaults', 'ResourceQuota/orocommerce-quota']);
  });

  it('renders the five PVCs of seed 000 with its sizes, ReadWriteMany by default', () => {
    const sizes = { 'pvc-oro-app': '10Gi', 'pvc-cache': '5Gi', 'pvc-public-storage': '20Gi', 'pvc-private-storage': '10Gi', 'pvc-maintenance': '1Gi' };
    for (const [name, size] of Object.entries(sizes)) {
      const claim = pvc(testEnvironment(), name);
      expect(claim.spec?.resources?.requests?.storage).toBe(size);
      expect(claim.spec?.accessModes).toEqual(['ReadWriteMany']);
      expect(claim.spec?.storageClassName).toBeUndefined();
    }
  });

  it('keeps the claims when they leave git or the Application is deleted', () => {
    expect(pvc().metadata?.annotations?.['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=false');
  });

  it('takes the storage class from pvcs.storageClassName unless a volume names its own (prod)', () => {
    const env = testEnvironment('prod', { pvcs: { storageClassName: 'efs-rwx', 'pvc-cache': { storageClassName: 'fast-rwx' } } });
    expect(pvc(env).spec?.storageClassName).toBe('efs-rwx');
    expect(pvc(env, 'pvc-cache').spec?.storageClassName).toBe('fast-rwx');
    expect(pvc(prodEnvironment(), 'pvc-public-storage').spec?.resources?.requests?.storage).toBe('100Gi');
  });

  it('renders ReadWriteOnce volumes on a single node (dev)', () => {
    const dev = devEnvironment();
    expect(pvc(dev).spec?.accessModes).toEqual(['ReadWriteOnce']);
    expect(pvc(dev, 'pvc-public-storage').spec?.resources?.requests?.storage).toBe('5Gi');
  });
});

describe('volumes that cannot be shared', () => {
  it('refuses a ReadWriteOnce volume shared across nodes, naming the environment, the PVC, the workloads and the fix', () => {
    const env = testEnvironment('prod', { pvcs: { 'pvc-cache': { accessMode: 'ReadWriteOnce' } } });
    const render = () => component.render(env);
    expect(render).toThrow(/environment "prod"/);
    expect(render).toThrow(/PVC pvc-cache is ReadWriteOnce/);
    expect(render).toThrow(/php-fpm \(up to 10 pods\), consumer \(1 pod\), cron \(1 pod\), websocket \(1 pod\), install \(1 pod\), webserver \(up to 2 pods\)/);
    expect(render).toThrow(/volume-init/);
    expect(render).toThrow(/pvcs\.pvc-cache\.accessMode: ReadWriteMany/);
    expect(render).toThrow(/topology\.singleNode: true/);
  });

  it('lists every offending volume in one error', () => {
    const rwo = { accessMode: 'ReadWriteOnce' } as const;
    const env = testEnvironment('staging', { pvcs: { 'pvc-oro-app': rwo, 'pvc-maintenance': rwo } });
    expect(() => component.render(env)).toThrow(/2 volumes cannot be shared[\s\S]*pvc-oro-app[\s\S]*pvc-maintenance/);
  });

  it('names restore rather than install in restore mode', () => {
    const env = testEnvironment('prod', { 'init-jobs': { mode: 'restore' }, pvcs: { 'pvc-oro-app': { accessMode: 'ReadWriteOnce' } } });
    expect(() => component.render(env)).toThrow(/restore \(1 pod\)/);
  });

  it('refuses ReadWriteOncePod even on a single node', () => {
    const env = testEnvironment('dev', { topology: { singleNode: true }, pvcs: { 'pvc-maintenance': { accessMode: 'ReadWriteOncePod' } } });
    expect(() => component.render(env)).toThrow(/PVC pvc-maintenance is ReadWriteOncePod/);
  });
});

describe('namespace network policies', () => {
  it('denies all ingress and egress by default, for every pod', () => {
    const deny = policy(undefined, 'default-deny');
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny.spec.ingress).toEqual([]);
    expect(deny.spec.egress).toEqual([]);
  });

  it('lets every pod resolve names through kube-dns', () => {
    const dns = policy(undefined, 'allow-dns');
    expect(dns.spec.egress?.[0]?.ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(dns.spec.egress?.[0]?.to?.[0]?.namespaceSelector?.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
  });

  it('lets only the waiter pods reach the API server', () => {
    const api = policy(undefined, 'allow-api-server');
    expect(api.spec.podSelector?.matchLabels).toEqual(WAITER_POD_LABELS);
    expect(api.spec.egress?.[0]?.ports?.map((p) => p.port)).toEqual([443, 6443]);
  });

  it('lets Prometheus scrape the metrics ports, only when monitoring is enabled', () => {
    const scrape = policy(undefined, 'allow-prometheus-scrape');
    expect(scrape.spec.podSelector?.matchLabels).toEqual({ 'app.kubernetes.io/part-of': 'orocommerce' });
    expect(scrape.spec.ingress?.[0]?.ports).toEqual([{ protocol: 'TCP', port: 'metrics' }]);
    expect(scrape.spec.ingress?.[0]?.from?.[0]?.namespaceSelector?.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'orocommerce-test' });
    expect(names(component.render(devEnvironment()))).not.toContain('NetworkPolicy/allow-prometheus-scrape');
  });

  it('lets the PHP side call out of the cluster on the configured ports only', () => {
    const out = policy(undefined, 'allow-external-egress');
    expect(out.spec.podSelector?.matchExpressions?.[0]?.values).toEqual(['php-fpm', 'consumer', 'cron', 'install', 'restore']);
    expect(out.spec.egress?.[0]?.ports?.map((p) => p.port)).toEqual([443]);
    const closed = testEnvironment('prod', { pvcs: { network: { external: { cidrs: [] } } } });
    expect(names(component.render(closed))).not.toContain('NetworkPolicy/allow-external-egress');
  });

  it("opens the SMTP relay's own port, whatever it is, only when a relay is set", () => {
    const ports = (env: ReturnType<typeof testEnvironment>) => policy(env, 'allow-external-egress').spec.egress?.[0]?.ports?.map((p) => p.port);
    expect(ports(prodEnvironment())).toEqual([443, 587]);
    for (const port of [25, 465, 2525]) expect(ports(testEnvironment('prod', { app: { mailer: { host: 'smtp.example.com', port } } }))).toEqual([443, port]);
    expect(ports(testEnvironment('prod', { app: { mailer: { host: 'smtp.example.com', port: 443 } } }))).toEqual([443]);
  });
});
