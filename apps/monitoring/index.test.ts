// The monitoring component: what it renders, the pinned stack it adds, and that its monitors find the real Services.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { podSpecViolations } from '../../scripts/rules/lib/pss.ts';
import { labelSelectorSelects } from '../../scripts/rules/lib/selectors.ts';
import { validateSchemas } from '../../scripts/lib/validate/schema.ts';
import { phpFpmService } from '../app/php-fpm-service.ts';
import { databaseService } from '../db/service.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME } from '../lib/secrets.ts';
import { webService } from '../web/service.ts';
import { DASHBOARD_FILE } from './dashboard.ts';
import { METRICS_PORT_NAME } from './exporters.ts';
import { component } from './index.ts';
import type { AlertRule } from './rules.ts';
import { STACK_SELECTOR_LABELS } from './stack.ts';

const env = testEnvironment('prod');
const objects = component.render(env);

function find(kind: string, name: string): KubernetesObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} not rendered`);
  return o;
}

const spec = (o: KubernetesObject) => o.spec as Record<string, any>;
const source = component.extraSources!(env)[0]!;
const values = source.helm!.valuesObject as Record<string, any>;

describe('when monitoring is disabled', () => {
  const off = testEnvironment('prod', { monitoring: { enabled: false } });

  it('renders nothing, adds no chart and asks for no kinds', () => {
    expect(component.render(off)).toEqual([]);
    expect(component.extraSources!(off)).toEqual([]);
    expect(component.extraClusterKinds!(off)).toEqual([]);
    expect(component.extraNamespacedKinds!(off)).toEqual([]);
  });
});

describe('when the cluster brings its own Prometheus (stack disabled)', () => {
  const external = testEnvironment('prod', { monitoring: { stack: { enabled: false } } });

  it('keeps exporters, monitors, rules and dashboard but adds no chart, no Grafana secret and no stack policies', () => {
    expect(component.extraSources!(external)).toEqual([]);
    expect(component.extraClusterKinds!(external)).toEqual([]);
    const kinds = component.render(external).map((o) => o.kind);
    expect(kinds).not.toContain('ExternalSecret');
    expect(kinds).not.toContain('NetworkPolicy');
    expect(kinds).toContain('ServiceMonitor');
  });
});

describe('rendered objects', () => {
  it("are the exporter, three monitors, the rules, the dashboard, the Grafana admin secret and the stack's network policies", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/postgres-exporter',
      'Deployment/postgres-exporter',
      'Service/postgres-exporter',
      'ServiceMonitor/nginx-servicemonitor',
      'ServiceMonitor/phpfpm-servicemonitor',
      'ServiceMonitor/postgres-servicemonitor',
      'PrometheusRule/orocommerce-alerts',
      'ConfigMap/orocommerce-dashboard',
      'ExternalSecret/monitoring-grafana-admin',
      'NetworkPolicy/allow-monitoring-stack',
      'NetworkPolicy/allow-prometheus-to-exporters',
      'NetworkPolicy/allow-prometheus-to-kubelets',
      'NetworkPolicy/allow-monitoring-stack-to-api-server',
    ]);
  });

  it('pass the strict schema layer (Kubernetes 1.33 and the prometheus-operator / External Secrets CRDs)', () => {
    const docs = objects.map((object) => ({ file: `rendered/prod/monitoring/${object.metadata.name}.yaml`, env: 'prod', component: 'monitoring', object }));
    expect(validateSchemas(docs, env.kubernetesVersion)).toEqual([]);
  });

  it('are identical on every render', () => {
    expect(JSON.stringify(component.render(testEnvironment('prod')))).toBe(JSON.stringify(objects));
  });
});

describe('kube-prometheus-stack source', () => {
  it('is the community chart, pinned to an exact version, released as `monitoring`', () => {
    expect(source).toMatchObject({ repoURL: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack' });
    expect(source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
    expect(source.helm?.releaseName).toBe('monitoring');
  });

  it("names Prometheus and Alertmanager like the seed (Service prometheus-prometheus) and leaves the chart's images alone", () => {
    expect(values.fullnameOverride).toBe('prometheus');
    expect(values.cleanPrometheusOperatorObjectNames).toBe(true);
    expect(JSON.stringify(values)).not.toMatch(/"(image|tag)"/);
  });

  it('takes retention, resources and storage from the environment', () => {
    const custom = testEnvironment('prod', { monitoring: { stack: { retention: '30d', prometheus: { storage: { size: '50Gi', storageClassName: 'fast' } } } } });
    const prometheusSpec = (component.extraSources!(custom)[0]!.helm!.valuesObject as any).prometheus.prometheusSpec;
    expect(prometheusSpec.retention).toBe('30d');
    expect(prometheusSpec.storageSpec.volumeClaimTemplate.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '50Gi' } },
    });
    expect(prometheusSpec.resources).toEqual({ requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } });
  });

  it('gives Grafana its admin login from an existing Secret, which the component renders as an ExternalSecret', () => {
    expect(values.grafana.admin).toEqual({ existingSecret: 'monitoring-grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' });
    const secret = spec(find('ExternalSecret', 'monitoring-grafana-admin'));
    expect(secret.target.name).toBe('monitoring-grafana-admin');
    expect(secret.data.map((d: any) => d.secretKey)).toEqual(['admin-user', 'admin-password']);
    expect(secret.data[1].remoteRef).toEqual({ key: 'orocommerce/prod/grafana-admin', property: 'admin-password' });
  });

  it('renders no Grafana secret when Secrets are created out of band', () => {
    const manual = testEnvironment('prod', { secrets: { provider: 'preexisting' } });
    expect(component.render(manual).map((o) => o.kind)).not.toContain('ExternalSecret');
  });

  it("loads dashboards labelled grafana_dashboard=1 from this namespace only", () => {
    expect(values.grafana.sidecar.dashboards).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'orocommerce-prod' });
    expect(values.grafana.rbac).toEqual({ namespaced: true });
  });

  it('asks the AppProject for the CRDs and cluster RBAC only, and the namespaced kinds the chart renders', () => {
    expect(component.extraClusterKinds!(env)).toEqual([
      'apiextensions.k8s.io/CustomResourceDefinition',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
    ]);
    expect(component.extraNamespacedKinds!(env)).toEqual(expect.arrayContaining(['apps/Deployment', 'monitoring.coreos.com/Prometheus', 'monitoring.coreos.com/Alertmanager']));
    expect(component.extraNamespacedKinds!(env).join()).not.toMatch(/Webhook|DaemonSet/);
  });
});

describe('ServiceMonitors', () => {
  const services: Record<string, V1Service> = {
    'nginx-servicemonitor': webService(env),
    'phpfpm-servicemonitor': phpFpmService(env),
    'postgres-servicemonitor': find('Service', 'postgres-exporter') as V1Service,
  };

  it.each(Object.entries(services))('%s selects its Service by labels and scrapes the port named metrics', (name, svc) => {
    const monitor = spec(find('ServiceMonitor', name));
    expect(svc.metadata?.labels).toMatchObject(monitor.selector.matchLabels);
    expect(svc.spec?.ports?.map((p) => p.name)).toContain(METRICS_PORT_NAME);
    expect(monitor.endpoints).toEqual([{ port: METRICS_PORT_NAME, path: '/metrics', interval: '30s' }]);
    expect(monitor.namespaceSelector).toEqual({ matchNames: ['orocommerce-prod'] });
  });

  it.each(['ServiceMonitor', 'PrometheusRule'])("%s objects carry the labels the stack's Prometheus selects", (kind) => {
    const selector = kind === 'ServiceMonitor' ? values.prometheus.prometheusSpec.serviceMonitorSelector : values.prometheus.prometheusSpec.ruleSelector;
    expect(selector).toEqual({ matchLabels: STACK_SELECTOR_LABELS });
    for (const o of objects.filter((x) => x.kind === kind)) expect(o.metadata.labels).toMatchObject(selector.matchLabels);
  });
});

describe('postgres exporter', () => {
  const deployment = find('Deployment', 'postgres-exporter') as V1Deployment;
  const pod = deployment.spec!.template.spec!;
  const container = pod.containers[0]!;

  it('connects to the database Service with the application role and the password from its Secret', () => {
    const db = databaseService(env);
    expect(container.env).toEqual([
      { name: 'DATA_SOURCE_URI', value: `${db.metadata.name}:5432/orodb?sslmode=disable` },
      { name: 'DATA_SOURCE_USER', value: 'orodbuser' },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: DB_SECRET_NAME, key: DB_PASSWORD_KEY } } },
    ]);
  });

  it('runs a pinned image with probes, resources and the restricted profile, under its own token-less ServiceAccount', () => {
    expect(container.image).toMatch(/^prometheuscommunity\/postgres-exporter:v\d+\.\d+\.\d+$/);
    expect(container.livenessProbe?.httpGet?.port).toBe(METRICS_PORT_NAME);
    expect(container.readinessProbe?.httpGet?.port).toBe(METRICS_PORT_NAME);
    expect(container.resources?.limits).toBeDefined();
    expect(podSpecViolations(pod)).toEqual([]);
    expect(pod.serviceAccountName).toBe('postgres-exporter');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find('ServiceAccount', 'postgres-exporter').automountServiceAccountToken).toBe(false);
  });

  it('is selected by its Service', () => {
    const svc = find('Service', 'postgres-exporter') as V1Service;
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(svc.spec!.selector!);
    expect(svc.spec!.ports).toEqual([{ name: 'metrics', port: 9187, targetPort: 'metrics', protocol: 'TCP' }]);
  });
});

describe('PrometheusRule', () => {
  const rules: AlertRule[] = spec(find('PrometheusRule', 'orocommerce-alerts')).groups.flatMap((g: { rules: AlertRule[] }) => g.rules);

  it('covers the failure modes of the stack', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'OroPhpFpmDown',
        'OroPhpFpmMaxChildrenReached',
        'OroPhpFpmListenQueue',
        'OroNginxDown',
        'OroPostgresDown',
        'OroPostgresTooManyConnections',
        'OroVolumeFillingUp',
        'OroPodCrashLooping',
        'OroPodNotReady',
        'OroInitJobFailed',
        'OroHpaAtMaxReplicas',
        'OroBackupFailed',
        'OroBackupTooOld',
      ]),
    );
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s has an expression scoped to the namespace, a severity, a duration and its texts', (_, r) => {
    expect(r.expr).toContain('namespace="orocommerce-prod"');
    expect(['critical', 'warning']).toContain(r.labels.severity);
    expect(r.for).toMatch(/^\d+[smh]$/);
    for (const text of Object.values(r.annotations)) expect(text.length).toBeGreaterThan(10);
  });

  it('reads the metric names the chosen exporters expose', () => {
    const exprs = rules.map((r) => r.expr).join('\n');
    for (const metric of ['phpfpm_up', 'phpfpm_max_children_reached', 'phpfpm_listen_queue', 'nginx_up', 'pg_up', 'pg_stat_activity_count', 'pg_settings_max_connections', 'kubelet_volume_stats_available_bytes', 'kube_job_status_failed', 'kube_job_owner', 'kube_cronjob_status_last_successful_time', 'kube_horizontalpodautoscaler_spec_max_replicas']) {
      expect(exprs).toContain(`${metric}{`);
    }
  });
});

describe('Grafana dashboard', () => {
  const configMap = find('ConfigMap', 'orocommerce-dashboard');
  const dashboard = JSON.parse((configMap.data as Record<string, string>)[DASHBOARD_FILE]!);

  it('is labelled for the Grafana sidecar', () => {
    expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
  });

  it('parses, has unique panel ids and a uid Grafana accepts', () => {
    const ids = dashboard.panels.map((p: { id: number }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect(dashboard.uid).not.toBe(JSON.parse((component.render(testEnvironment('staging')).find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>)[DASHBOARD_FILE]!).uid);
  });

  it('shows requests, php-fpm, HPA, PostgreSQL, volumes and restarts', () => {
    const exprs = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of ['nginx_http_requests_total', 'phpfpm_active_processes', 'phpfpm_idle_processes', 'phpfpm_listen_queue', 'kube_horizontalpodautoscaler_status_current_replicas', 'pg_stat_activity_count', 'pg_database_size_bytes', 'kubelet_volume_stats_used_bytes', 'kube_pod_container_status_restarts_total']) {
      expect(exprs).toContain(metric);
    }
  });
});

describe("the stack's network policies", () => {
  const stackPods = spec(find('NetworkPolicy', 'allow-monitoring-stack')).podSelector;
  const shopPod = { 'app.kubernetes.io/part-of': 'orocommerce', 'app.kubernetes.io/name': 'php-fpm' };

  it("select every pod of the namespace but the shop's, which keep their own default deny", () => {
    expect(labelSelectorSelects(stackPods, { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'prometheus' })).toBe(true);
    expect(labelSelectorSelects(stackPods, { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/part-of': 'kube-prometheus-stack' })).toBe(true);
    expect(labelSelectorSelects(stackPods, shopPod)).toBe(false);
  });

  it("let Prometheus reach the shop's metrics ports and the kubelets, and nothing else of the shop", () => {
    const toExporters = spec(find('NetworkPolicy', 'allow-prometheus-to-exporters'));
    expect(toExporters.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'prometheus' } });
    expect(toExporters.egress).toEqual([{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'orocommerce' } } }], ports: [{ protocol: 'TCP', port: 'metrics' }] }]);
    expect(spec(find('NetworkPolicy', 'allow-prometheus-to-kubelets')).egress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }]);
  });
});

describe('credentials', () => {
  it('appear nowhere as literals: not in objects, not in the chart values', () => {
    const text = JSON.stringify([objects, component.extraSources!(env)]);
    const literals = [/"(password|adminPassword|DATA_SOURCE_NAME)"\s*:/gi, /prom-operator|admin:admin|:"admin"/g, /postgres(ql)?:\/\/[^"]*:[^"]*@/g];
    expect(literals.flatMap((re) => [...text.matchAll(re)].map((m) => m[0]))).toEqual([]);
  });
});
