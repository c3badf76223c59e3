// The web component: nginx on 8080 behind Service webserver:80 with its rendered nginx.conf, probes, Ingress, PDB and certificate.
import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1Deployment, V1Ingress, V1PodDisruptionBudget, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { containerOf, devEnvironment, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { component } from './index.ts';

const render = (env = testEnvironment()) => component.render(env);
const deployment = (env = testEnvironment()) => find<V1Deployment>(render(env), 'Deployment', 'webserver');
const pod = (env = testEnvironment()) => podSpecOf(deployment(env));
const nginx = (env = testEnvironment()) => containerOf(pod(env), 'nginx');
const ingress = (env = testEnvironment()) => find<V1Ingress>(render(env), 'Ingress', 'webserver');
const wsIngress = (env = testEnvironment()) => find<V1Ingress>(render(env), 'Ingress', 'webserver-ws');

describe('web component', () => {
  it('is wave 6 and renders nginx, its config, Service, Ingress, PDB, certificate, account and policy', () => {
    expect(component.wave).toBe(6);
    expect(names(render()).sort()).toEqual([
      'ConfigMap/webserver-nginx',
      'Deployment/webserver',
      'ExternalSecret/orocommerce-tls',
      'Ingress/webserver',
      'Ingress/webserver-ws',
      'NetworkPolicy/allow-ingress-controller',
      'PodDisruptionBudget/webserver',
      'RoleBinding/webserver-job-waiter',
      'Service/webserver',
      'ServiceAccount/webserver',
    ]);
  });
});

describe('webserver', () => {
  it('runs nginx itself on our nginx.conf, on 8080, behind Service webserver 80 → 8080', () => {
    expect(nginx().command).toEqual(['nginx', '-c', '/etc/oro-nginx/nginx.conf']);
    expect(nginx().args).toBeUndefined();
    expect(nginx().ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    const svc = find<V1Service>(render(), 'Service', 'webserver');
    expect(svc.spec?.ports?.[0]).toEqual({ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
    expect(svc.spec?.selector).toEqual(deployment().spec?.selector.matchLabels);
  });

  it('is ready on /healthz, which needs no PHP, and alive while it accepts connections', () => {
    expect(nginx().readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(nginx().startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(nginx().livenessProbe?.tcpSocket?.port).toBe('http');
    expect(nginx().livenessProbe?.httpGet).toBeUndefined();
  });

  it('quits gracefully after a short drain', () => {
    const script = nginx().lifecycle?.preStop?.exec?.command?.[2] ?? '';
    expect(script.split('\n').slice(0, 2)).toEqual(['sleep 5', 'nginx -c /etc/oro-nginx/nginx.conf -s quit 2>/dev/null || kill -QUIT 1']);
    expect(pod().terminationGracePeriodSeconds).toBeGreaterThan(5 + 60);
  });

  it('waits for the init jobs and php-fpm; no config step runs at start', () => {
    expect(pod().initContainers?.map((c) => c.name)).toEqual(['wait-created-volume-init', 'wait-created-oro-install', 'wait-for-init-jobs', 'wait-for-php-fpm']);
    expect(containerOf(pod(), 'wait-for-php-fpm').command?.[2]).toContain('/dev/tcp/orocommerce-app-php-fpm/9000');
  });

  it('reads nginx.conf from its ConfigMap, read-only, and keeps its pid file and buffers in an emptyDir of its own', () => {
    const cm = find<V1ConfigMap>(render(), 'ConfigMap', 'webserver-nginx');
    expect(Object.keys(cm.data ?? {})).toEqual(['nginx.conf']);
    expect(pod().volumes).toContainEqual({ name: 'nginx-config', configMap: { name: 'webserver-nginx' } });
    expect(nginx().volumeMounts).toContainEqual({ name: 'nginx-config', mountPath: '/etc/oro-nginx', readOnly: true });
    expect(pod().volumes).toContainEqual({ name: 'nginx-state', emptyDir: { sizeLimit: '1Gi' } });
    expect(nginx().volumeMounts).toContainEqual({ name: 'nginx-state', mountPath: '/var/lib/oro-nginx' });
    expect(nginx().securityContext?.readOnlyRootFilesystem).toBe(true);
  });

  it('rolls the pods when nginx.conf changes, and only then', () => {
    const checksum = (env = testEnvironment()) => deployment(env).spec?.template.metadata?.annotations?.['orocommerce.io/nginx-config-checksum'];
    const conf = find<V1ConfigMap>(render(), 'ConfigMap', 'webserver-nginx').data?.['nginx.conf'] ?? '';
    expect(checksum()).toBe(createHash('sha256').update(conf).digest('hex'));
    expect(checksum(testEnvironment('test', { web: { clientMaxBodySize: '128m' } }))).not.toBe(checksum());
    expect(checksum(testEnvironment('test', { web: { replicas: 5 } }))).toBe(checksum());
  });

  it("mounts the code and maintenance read-write and the cache and storage read-only, as Compose's web does", () => {
    const mounts = Object.fromEntries((nginx().volumeMounts ?? []).map((m) => [m.mountPath, m.readOnly ?? false]));
    expect(mounts).toMatchObject({
      '/var/www/oro': false,
      '/var/www/oro/var/maintenance': false,
      '/var/www/oro/var/cache': true,
      '/var/www/oro/public/media': true,
      '/var/www/oro/var/data': true,
    });
  });

  it("serves the release's own code and cache, the same subPaths php-fpm runs", () => {
    const mounts = Object.fromEntries((nginx().volumeMounts ?? []).map((m) => [m.mountPath, m]));
    expect(mounts['/var/www/oro']).toEqual({ name: 'oro-app', mountPath: '/var/www/oro', subPath: 'releases/6.1.6' });
    expect(mounts['/var/www/oro/var/cache']).toEqual({ name: 'cache', mountPath: '/var/www/oro/var/cache', subPath: '6.1.6', readOnly: true });
  });

  it('gets neither ORO_* settings nor credentials: nginx reads none', () => {
    expect(nginx().envFrom).toBeUndefined();
    expect(nginx().env).toBeUndefined();
  });

  it('scales to the configured replicas with a PDB, none for a single replica (dev)', () => {
    expect(deployment(prodEnvironment()).spec?.replicas).toBe(3);
    expect(find<V1PodDisruptionBudget>(render(), 'PodDisruptionBudget', 'webserver').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(names(render(devEnvironment()))).not.toContain('PodDisruptionBudget/webserver');
  });

  it('adds the nginx exporter and its `metrics` Service port only with monitoring', () => {
    expect(pod().containers.map((c) => c.name)).toEqual(['nginx', 'nginx-exporter']);
    expect(find<V1Service>(render(), 'Service', 'webserver').spec?.ports?.map((p) => p.name)).toEqual(['http', 'metrics']);
    expect(pod(devEnvironment()).containers.map((c) => c.name)).toEqual(['nginx']);
  });

  it('takes its resources from the settings', () => {
    const env = testEnvironment('prod', { web: { resources: { limits: { memory: '512Mi' } } } });
    expect(nginx(env).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });
});

describe('ingress', () => {
  it('sends the domain to Service webserver, with TLS from tls.secretName', () => {
    const spec = ingress(prodEnvironment()).spec;
    expect(spec?.ingressClassName).toBe('nginx');
    expect(spec?.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'orocommerce-tls' }]);
    expect(spec?.rules).toEqual([
      { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'webserver', port: { name: 'http' } } } }] } },
    ]);
  });

  it('has no TLS section without TLS', () => {
    expect(ingress(testEnvironment('staging', { tls: { enabled: false } })).spec?.tls).toBeUndefined();
  });

  it('is left out with its certificate and the ingress controller policy where no controller runs (dev), so the Application can turn Healthy', () => {
    const env = testEnvironment('prod', { web: { ingress: { enabled: false } } });
    const rendered = names(render(env));
    expect(rendered.filter((n) => /^(Ingress|ExternalSecret|NetworkPolicy)\//.test(n))).toEqual([]);
    expect(rendered).toEqual(expect.arrayContaining(['Deployment/webserver', 'Service/webserver']));
    expect(names(render(devEnvironment())).filter((n) => n.startsWith('Ingress/'))).toEqual([]);
  });

  it('routes /ws, with TLS, through nginx and keeps idle websocket connections open for an hour', () => {
    const spec = wsIngress(prodEnvironment()).spec;
    expect(spec?.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'orocommerce-tls' }]);
    expect(spec?.rules).toEqual([
      { host: 'shop.example.com', http: { paths: [{ path: '/ws', pathType: 'Prefix', backend: { service: { name: 'webserver', port: { name: 'http' } } } }] } },
    ]);
    expect(wsIngress().metadata?.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      'nginx.ingress.kubernetes.io/proxy-send-timeout': '3600',
    });
  });

  it('keeps the long timeouts off the rest of the shop, accepts uploads; environment annotations win', () => {
    expect(ingress().metadata?.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '64m' });
    const env = testEnvironment('prod', { web: { ingress: { className: 'public', annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '256m' } } } });
    expect(ingress(env).spec?.ingressClassName).toBe('public');
    expect(ingress(env).metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('256m');
  });

  it('fetches the certificate from the store unless cert-manager issues it or Secrets pre-exist', () => {
    const tls = find<{ spec: Record<string, any> }>(render(), 'ExternalSecret', 'orocommerce-tls');
    expect(tls.spec.target).toEqual({ name: 'orocommerce-tls', creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } });
    expect(tls.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['tls.crt', 'tls.key']);
    expect(names(render(testEnvironment('prod', { web: { ingress: { tlsFromSecretStore: false } } })))).not.toContain('ExternalSecret/orocommerce-tls');
    expect(names(render(devEnvironment()))).not.toContain('ExternalSecret/orocommerce-tls');
  });

  it('admits only the ingress controller to 8080', () => {
    const policy = find<NetworkPolicy>(render(), 'NetworkPolicy', 'allow-ingress-controller');
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });
});
