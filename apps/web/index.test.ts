// The web component: nginx on 8080 behind Service webserver:80, its config step, probes, Ingress, PDB and certificate.
import type { V1Deployment, V1Ingress, V1PodDisruptionBudget, V1Service } from '@kubernetes/client-node';
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
  it('is wave 6 and renders nginx, its Service, Ingress, PDB, certificate, account and policy', () => {
    expect(component.wave).toBe(6);
    expect(names(render()).sort()).toEqual([
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
  it('runs `nginx` on 8080, behind Service webserver 80 → 8080', () => {
    expect(nginx().args).toEqual(['nginx']);
    expect(nginx().ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    const svc = find<V1Service>(render(), 'Service', 'webserver');
    expect(svc.spec?.ports?.[0]).toEqual({ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
    expect(svc.spec?.selector).toEqual(deployment().spec?.selector.matchLabels);
  });

  it('is ready when GET / for the shop answers, alive when it accepts connections', () => {
    expect(nginx().readinessProbe?.httpGet).toEqual({ path: '/', port: 'http', httpHeaders: [{ name: 'Host', value: 'test.shop.example.com' }] });
    expect(nginx().livenessProbe?.tcpSocket?.port).toBe('http');
    expect(nginx().startupProbe?.tcpSocket?.port).toBe('http');
  });

  it('quits gracefully after a short drain', () => {
    const script = nginx().lifecycle?.preStop?.exec?.command?.[2] ?? '';
    expect(script.split('\n').slice(0, 2)).toEqual(['sleep 5', 'nginx -s quit 2>/dev/null || kill -QUIT 1']);
    expect(pod().terminationGracePeriodSeconds).toBeGreaterThan(5 + 60);
  });

  it('waits for the init jobs and php-fpm, then renders its config with nginx-init into an emptyDir', () => {
    expect(pod().initContainers?.map((c) => c.name)).toEqual(['wait-created-volume-init', 'wait-created-oro-install', 'wait-for-init-jobs', 'wait-for-php-fpm', 'nginx-tool', 'web-init']);
    expect(containerOf(pod(), 'wait-for-php-fpm').command?.[2]).toContain('/dev/tcp/orocommerce-app-php-fpm/9000');
    const init = containerOf(pod(), 'web-init');
    expect(init.command?.[2]).toContain('/usr/local/bin/docker-entrypoint.sh nginx-init');
    expect(init.envFrom).toEqual([{ configMapRef: { name: 'orocommerce-config' } }]);
    expect(init.volumeMounts).toContainEqual({ name: 'nginx-config', mountPath: '/opt/oro-nginx' });
    expect(nginx().volumeMounts).toContainEqual({ name: 'nginx-config', mountPath: '/opt/oro-nginx' });
    expect(pod().volumes?.find((v) => v.name === 'nginx-config')?.emptyDir).toBeDefined();
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

  it('gets the settings but no credential', () => {
    expect(nginx().envFrom).toEqual([{ configMapRef: { name: 'orocommerce-config' } }]);
    expect(nginx().env ?? []).toEqual([]);
  });

  it('scales to the configured replicas with a PDB, none for a single replica (dev)', () => {
    expect(deployment(prodEnvironment()).spec?.replicas).toBe(3);
    expect(find<V1PodDisruptionBudget>(render(), 'PodDisruptionBudget', 'webserver').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(names(render(devEnvironment()))).not.toContain('PodDisruptionBudget/webserver');
  });

  it('adds the nginx exporter, its `metrics` Service port and the stub_status server only with monitoring', () => {
    expect(pod().containers.map((c) => c.name)).toEqual(['nginx', 'nginx-exporter']);
    expect(find<V1Service>(render(), 'Service', 'webserver').spec?.ports?.map((p) => p.name)).toEqual(['http', 'metrics']);
    expect(containerOf(pod(), 'web-init').command?.[2]).toContain('stub-status.conf');
    const dev = devEnvironment();
    expect(pod(dev).containers.map((c) => c.name)).toEqual(['nginx']);
    expect(containerOf(pod(dev), 'web-init').command?.[2]).not.toContain('stub-status.conf');
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
