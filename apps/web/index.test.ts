// The web component: nginx on 8080 behind Service webserver:80 with its rendered nginx.conf, probes, PDB, and its way in (HTTPRoutes, Ingresses or none).
import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1Deployment, V1Ingress, V1PodDisruptionBudget, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { EnvironmentFile } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { containerOf, devEnvironment, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { gatewayDuration, type HTTPRoute } from './http-route.ts';
import { component } from './index.ts';
import type { ReferenceGrant } from './reference-grant.ts';

const render = (env = testEnvironment()) => component.render(env);
const deployment = (env = testEnvironment()) => find<V1Deployment>(render(env), 'Deployment', 'webserver');
const pod = (env = testEnvironment()) => podSpecOf(deployment(env));
const nginx = (env = testEnvironment()) => containerOf(pod(env), 'nginx');
/** An environment on Ingress, otherwise as `testEnvironment(name, file)`. */
const onIngress = (name = 'test', file: Partial<EnvironmentFile> = {}) => testEnvironment(name, { ...file, web: { ...file.web, exposure: 'ingress' } });
const ingress = (env = onIngress()) => find<V1Ingress>(render(env), 'Ingress', 'webserver');
const wsIngress = (env = onIngress()) => find<V1Ingress>(render(env), 'Ingress', 'webserver-ws');

describe('web component', () => {
  it('is wave 6 and renders nginx, its config, Service, PDB, account, and by default HTTPRoutes with the policy admitting the Gateway', () => {
    expect(component.wave).toBe(6);
    expect(names(render()).sort()).toEqual([
      'ConfigMap/webserver-nginx',
      'Deployment/webserver',
      'HTTPRoute/webserver',
      'HTTPRoute/webserver-ws',
      'NetworkPolicy/allow-gateway',
      'PodDisruptionBudget/webserver',
      'RoleBinding/webserver-job-waiter',
      'Service/webserver',
      'ServiceAccount/webserver',
    ]);
  });

  it('renders Ingresses, their certificate and the ingress controller policy instead on Ingress, and no way in with `none`', () => {
    const wayIn = (env: ReturnType<typeof testEnvironment>) => names(render(env)).filter((n) => /^(Ingress|HTTPRoute|ReferenceGrant|ExternalSecret|NetworkPolicy)\//.test(n)).sort();
    expect(wayIn(onIngress())).toEqual(['ExternalSecret/orocommerce-tls', 'Ingress/webserver', 'Ingress/webserver-ws', 'NetworkPolicy/allow-ingress-controller']);
    expect(wayIn(testEnvironment('prod', { web: { exposure: 'none' } }))).toEqual([]);
    // The migration step: both ways in at once, one certificate, each proxy admitted.
    expect(wayIn(testEnvironment('prod', { web: { exposure: 'both', gateway: { certificate: 'secret-store', namespace: 'infra' } } }))).toEqual([
      'ExternalSecret/orocommerce-tls',
      'HTTPRoute/webserver',
      'HTTPRoute/webserver-ws',
      'Ingress/webserver',
      'Ingress/webserver-ws',
      'NetworkPolicy/allow-gateway',
      'NetworkPolicy/allow-ingress-controller',
      'ReferenceGrant/gateway-certificate',
    ]);
    expect(wayIn(devEnvironment())).toEqual([]);
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
    expect(pod().initContainers?.map((c) => c.name)).toEqual(['wait-created-volume-init', 'wait-created-oro-upgrade-backup', 'wait-created-oro-maintenance-on', 'wait-created-oro-install', 'wait-created-oro-cache-warmup', 'wait-created-oro-maintenance-off', 'wait-for-init-jobs', 'wait-for-php-fpm']);
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
    const spec = ingress(onIngress('prod', { domain: 'shop.example.com' })).spec;
    expect(spec?.ingressClassName).toBe('nginx');
    expect(spec?.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'orocommerce-tls' }]);
    expect(spec?.rules).toEqual([
      { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'webserver', port: { name: 'http' } } } }] } },
    ]);
  });

  it('has no TLS section without TLS', () => {
    expect(ingress(onIngress('staging', { tls: { enabled: false } })).spec?.tls).toBeUndefined();
  });

  it('routes /ws, with TLS, through nginx and keeps idle websocket connections open for an hour', () => {
    const spec = wsIngress(onIngress('prod', { domain: 'shop.example.com' })).spec;
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
    const env = onIngress('prod', { web: { ingress: { className: 'public', annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '256m' } } } });
    expect(ingress(env).spec?.ingressClassName).toBe('public');
    expect(ingress(env).metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('256m');
  });

  it('fetches the certificate from the store unless cert-manager issues it or Secrets pre-exist', () => {
    const tls = find<{ spec: Record<string, any> }>(render(onIngress()), 'ExternalSecret', 'orocommerce-tls');
    expect(tls.spec.target).toEqual({ name: 'orocommerce-tls', creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } });
    expect(tls.spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['tls.crt', 'tls.key']);
    expect(names(render(onIngress('prod', { web: { ingress: { tlsFromSecretStore: false } } })))).not.toContain('ExternalSecret/orocommerce-tls');
    expect(names(render(devEnvironment()))).not.toContain('ExternalSecret/orocommerce-tls');
  });

  it('admits only the ingress controller to 8080', () => {
    const policy = find<NetworkPolicy>(render(onIngress()), 'NetworkPolicy', 'allow-ingress-controller');
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });
});

describe('gateway api', () => {
  const gatewayEnv = (gateway: NonNullable<EnvironmentFile['web']>['gateway'] = {}, file: Partial<EnvironmentFile> = {}) =>
    testEnvironment('prod', { domain: 'shop.example.com', ...file, web: { ...file.web, gateway } });
  const route = (env: ReturnType<typeof testEnvironment>, name: string) => find<HTTPRoute>(render(env), 'HTTPRoute', name);

  it('attaches the front route to the named Gateway and listener and sends the domain to Service webserver:80', () => {
    const spec = route(gatewayEnv({ name: 'shared', namespace: 'infra', sectionName: 'https' }), 'webserver').spec;
    expect(spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra', sectionName: 'https' }]);
    expect(spec.hostnames).toEqual(['shop.example.com']);
    expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'webserver', port: 80 }], timeouts: { request: '0s' } }]);
  });

  it('attaches to every listener without a sectionName', () => {
    expect(route(gatewayEnv(), 'webserver').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system' }]);
  });

  it('gives /ws its own route whose request timeout is web.websocketTimeoutSeconds', () => {
    const spec = route(gatewayEnv({}, { web: { websocketTimeoutSeconds: 7200 } }), 'webserver-ws').spec;
    expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/ws' } }], backendRefs: [{ name: 'webserver', port: 80 }], timeouts: { request: '2h' } }]);
    expect(route(gatewayEnv(), 'webserver-ws').spec.rules[0]?.timeouts).toEqual({ request: '1h' });
  });

  it('writes durations the CRD pattern accepts (at most four parts of at most five digits), whatever the seconds', () => {
    expect([60, 90, 3600, 5400, 3661, 100000, 99999 * 3600].map(gatewayDuration)).toEqual(['1m', '1m30s', '1h', '1h30m', '1h1m1s', '27h46m40s', '99999h']);
    for (const seconds of [60, 61, 3599, 86399, 123456, 360000]) expect(gatewayDuration(seconds)).toMatch(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/);
  });

  it('redirects the plain listener to HTTPS with a 301, on the public port when there is one', () => {
    const env = gatewayEnv({ sectionName: 'https', redirectSectionName: 'http' });
    const spec = route(env, 'webserver-https-redirect').spec;
    expect(spec.parentRefs[0]?.sectionName).toBe('http');
    expect(spec.hostnames).toEqual(['shop.example.com']);
    expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
    const onPort = gatewayEnv({ sectionName: 'https', redirectSectionName: 'http' }, { web: { publicPort: 8443 } });
    expect(route(onPort, 'webserver-https-redirect').spec.rules[0]?.filters?.[0]?.requestRedirect.port).toBe(8443);
    expect(names(render(gatewayEnv({ sectionName: 'https' }))).filter((n) => n.startsWith('HTTPRoute/'))).toEqual(['HTTPRoute/webserver', 'HTTPRoute/webserver-ws']);
  });

  it('refuses a redirect it cannot honour, naming the setting', () => {
    const fails = (env: ReturnType<typeof testEnvironment>) => () => render(env);
    expect(fails(gatewayEnv({ redirectSectionName: 'http' }))).toThrow(/web\.gateway\.redirectSectionName: needs web\.gateway\.sectionName/);
    expect(fails(gatewayEnv({ sectionName: 'https', redirectSectionName: 'http' }, { tls: { enabled: false } }))).toThrow(/tls\.enabled is false/);
    expect(fails(gatewayEnv({ sectionName: 'web', redirectSectionName: 'web' }))).toThrow(/same listener/);
  });

  it('leaves the certificate to the Gateway by default: no Secret, no ReferenceGrant', () => {
    expect(names(render(gatewayEnv())).filter((n) => /^(ExternalSecret|ReferenceGrant)\//.test(n))).toEqual([]);
  });

  it('lets the Gateway read a certificate kept here through a ReferenceGrant for that one Secret', () => {
    const env = gatewayEnv({ namespace: 'infra', certificate: 'secret-store' });
    expect(find<ReferenceGrant>(render(env), 'ReferenceGrant', 'gateway-certificate')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: { name: 'gateway-certificate' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 'orocommerce-tls' }] },
    });
    expect(names(render(env))).toContain('ExternalSecret/orocommerce-tls');
    const byHand = names(render(gatewayEnv({ namespace: 'infra', certificate: 'namespace' })));
    expect(byHand).toContain('ReferenceGrant/gateway-certificate');
    expect(byHand).not.toContain('ExternalSecret/orocommerce-tls');
    expect(names(render(gatewayEnv({ namespace: 'orocommerce-prod', certificate: 'namespace' })))).not.toContain('ReferenceGrant/gateway-certificate');
    expect(names(render(gatewayEnv({ certificate: 'namespace' }, { tls: { enabled: false } })))).not.toContain('ReferenceGrant/gateway-certificate');
  });

  it("admits the Gateway's data-plane pods to 8080: GEP-1762's label in the Gateway's namespace, or the configured ones", () => {
    const from = (env: ReturnType<typeof testEnvironment>) => find<NetworkPolicy>(render(env), 'NetworkPolicy', 'allow-gateway').spec.ingress;
    expect(from(gatewayEnv({ name: 'shared', namespace: 'infra' }))).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } }, podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'shared' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    const envoy = gatewayEnv({ dataPlane: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } } });
    expect(from(envoy)?.[0]?.from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } }, podSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } } },
    ]);
  });
});
