// PrometheusRule with OroCommerce's failure modes, written against the metrics our exporters really expose.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';
import { operatorObjectMetadata } from './meta.ts';
import type { ScrapedWorkload } from './service-monitors.ts';

export type Severity = 'critical' | 'warning';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook: string };
}

interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** A label matcher: an exact value, or '{ regex }' for '=~'. */
export type Matcher = string | { regex: string };

/** 'metric{namespace="<ns>",k="v"}': every expression is scoped to this environment's namespace. */
export function series(env: Environment, metric: string, matchers: Record<string, Matcher> = {}): string {
  const all: Record<string, Matcher> = { namespace: env.destination.namespace, ...matchers };
  const inner = Object.entries(all)
    .map(([k, m]) => (typeof m === 'string' ? `${k}="${m}"` : `${k}=~"${m.regex}"`))
    .join(',');
  return `${metric}{${inner}}`;
}

function alert(name: string, expr: string, forDuration: string, severity: Severity, summary: string, description: string, runbook: string): AlertRule {
  return { alert: name, expr, for: forDuration, labels: { severity }, annotations: { summary, description, runbook } };
}

/**
 * A scrape target that vanished: the ServiceMonitor selects no Service, the Service has no 'metrics'
 * port, or the sidecar is missing. Without it every other rule of the group silently never fires.
 */
function targetAbsent(env: Environment, job: ScrapedWorkload, name: string): AlertRule {
  return alert(
    name,
    `absent(${series(env, 'up', { job })})`,
    '15m',
    'warning',
    `No ${job} metrics target in {{ $labels.namespace }}`,
    `Prometheus has no scrape target with job="${job}"; the alerts that read its metrics cannot fire.`,
    `kubectl -n ${env.destination.namespace} get endpoints -l app.kubernetes.io/name=${job}: no ready pod, or a Service without the selector labels or a port named metrics.`,
  );
}

function phpFpmRules(env: Environment): RuleGroup {
  const ns = env.destination.namespace;
  return {
    name: 'orocommerce-php-fpm',
    rules: [
      alert(
        'OroPhpFpmDown',
        `${series(env, 'phpfpm_up')} == 0`,
        '5m',
        'critical',
        'php-fpm unreachable in {{ $labels.pod }}',
        'The php-fpm exporter cannot read the FPM status page over FastCGI on 127.0.0.1:9000: php-fpm is down, or pm.status_path differs from the scrape URI.',
        `kubectl -n ${ns} logs {{ $labels.pod }} -c php-fpm-exporter, then the php-fpm container's logs and readiness.`,
      ),
      targetAbsent(env, 'php-fpm', 'OroPhpFpmMetricsAbsent'),
      alert(
        'OroPhpFpmMaxChildrenReached',
        `sum by (namespace, pod) (increase(${series(env, 'phpfpm_max_children_reached')}[5m])) > 0`,
        '10m',
        'warning',
        'php-fpm in {{ $labels.pod }} keeps hitting pm.max_children',
        'All FPM workers were busy and FPM wanted to start more; requests queue until a worker frees up.',
        `Check the HPA (kubectl -n ${ns} get hpa) and slow requests; raise pm.max_children only if the pod's memory limit allows it.`,
      ),
      alert(
        'OroPhpFpmListenQueue',
        `sum by (namespace, pod) (${series(env, 'phpfpm_listen_queue')}) > 0`,
        '5m',
        'warning',
        'Requests are waiting for a php-fpm worker in {{ $labels.pod }}',
        '{{ $value }} connections wait in the FPM listen queue: the pool is saturated and latency grows.',
        'Compare phpfpm_active_processes with the pool size; scale out (HPA maxReplicas) or find the slow endpoint in the nginx access log.',
      ),
    ],
  };
}

function nginxRules(env: Environment): RuleGroup {
  const ns = env.destination.namespace;
  return {
    name: 'orocommerce-nginx',
    rules: [
      alert(
        'OroNginxDown',
        `${series(env, 'nginx_up')} == 0`,
        '5m',
        'critical',
        'nginx stub_status unreachable in {{ $labels.pod }}',
        'The nginx exporter cannot read stub_status: nginx is down, or its stub_status server is missing from the generated config.',
        `kubectl -n ${ns} logs {{ $labels.pod }} -c nginx-exporter, then check the webserver pod's nginx container.`,
      ),
      targetAbsent(env, 'webserver', 'OroNginxMetricsAbsent'),
      alert(
        'OroNginxDroppedConnections',
        `sum by (namespace, pod) (rate(${series(env, 'nginx_connections_accepted')}[5m]) - rate(${series(env, 'nginx_connections_handled')}[5m])) > 0`,
        '5m',
        'warning',
        'nginx in {{ $labels.pod }} drops connections',
        'Accepted connections exceed handled ones: nginx hit worker_connections or its file-descriptor limit.',
        `Scale the webserver Deployment or raise worker_connections; kubectl -n ${ns} logs {{ $labels.pod }} -c nginx shows "worker_connections are not enough".`,
      ),
    ],
  };
}

/** Single primary: replication alerts do not apply until the database gets a replica. */
function postgresRules(env: Environment): RuleGroup {
  const ns = env.destination.namespace;
  const clientBackends = series(env, 'pg_stat_activity_count', { backend_type: 'client backend' });
  return {
    name: 'orocommerce-postgres',
    rules: [
      alert(
        'OroPostgresDown',
        `${series(env, 'pg_up')} == 0`,
        '2m',
        'critical',
        'PostgreSQL is unreachable',
        'postgres-exporter cannot connect to the database with the application role: the shop cannot serve pages.',
        `kubectl -n ${ns} get pods -l app.kubernetes.io/component=db; kubectl -n ${ns} logs deploy/postgres-exporter.`,
      ),
      targetAbsent(env, 'postgres-exporter', 'OroPostgresMetricsAbsent'),
      alert(
        'OroPostgresTooManyConnections',
        `sum by (namespace) (${clientBackends}) / on (namespace) max by (namespace) (${series(env, 'pg_settings_max_connections')}) > 0.8`,
        '5m',
        'warning',
        'PostgreSQL uses over 80% of max_connections',
        'Client connections are at {{ $value | humanizePercentage }} of max_connections; new php-fpm or consumer connections will be refused.',
        'Count php-fpm replicas × pm.max_children plus consumers and cron against max_connections; look for idle-in-transaction sessions in pg_stat_activity.',
      ),
    ],
  };
}

function kubernetesRules(env: Environment): RuleGroup {
  const ns = env.destination.namespace;
  const free = `${series(env, 'kubelet_volume_stats_available_bytes')} / ${series(env, 'kubelet_volume_stats_capacity_bytes')}`;
  return {
    name: 'orocommerce-kubernetes',
    rules: [
      alert(
        'OroVolumeFillingUp',
        `${free} < 0.15`,
        '10m',
        'warning',
        'Volume {{ $labels.persistentvolumeclaim }} is over 85% full',
        'Only {{ $value | humanizePercentage }} of the PVC is free (media, cache, database or Prometheus data).',
        `kubectl -n ${ns} get pvc {{ $labels.persistentvolumeclaim }}; expand it (allowVolumeExpansion) by raising its size in the environment file.`,
      ),
      alert(
        'OroVolumeAlmostFull',
        `${free} < 0.05`,
        '5m',
        'critical',
        'Volume {{ $labels.persistentvolumeclaim }} is over 95% full',
        'Only {{ $value | humanizePercentage }} is free: writes (uploads, cache warmup, WAL) are about to fail.',
        'Expand the PVC now; for pvc-cache, clearing var/cache is safe, for the database never delete files by hand.',
      ),
      alert(
        'OroPodCrashLooping',
        `max_over_time(${series(env, 'kube_pod_container_status_waiting_reason', { reason: 'CrashLoopBackOff' })}[5m]) >= 1`,
        '15m',
        'warning',
        'Container {{ $labels.container }} of {{ $labels.pod }} is crash-looping',
        'The container keeps exiting and Kubernetes backs off restarting it.',
        `kubectl -n ${ns} logs {{ $labels.pod }} -c {{ $labels.container }} --previous`,
      ),
      alert(
        'OroPodNotRunning',
        `sum by (namespace, pod) (${series(env, 'kube_pod_status_phase', { phase: { regex: 'Pending|Unknown|Failed' } })}) > 0`,
        '15m',
        'warning',
        'Pod {{ $labels.pod }} has not been running for 15 minutes',
        'The pod is Pending (scheduling, volume attach, image pull), Unknown, or Failed.',
        `kubectl -n ${ns} describe pod {{ $labels.pod }}: read the Events section.`,
      ),
      alert(
        'OroPodNotReady',
        `sum by (namespace, pod) (${series(env, 'kube_pod_status_ready', { condition: 'false' })}) > 0 and on (namespace, pod) sum by (namespace, pod) (${series(env, 'kube_pod_status_phase', { phase: 'Running' })}) > 0`,
        '15m',
        'warning',
        'Pod {{ $labels.pod }} runs but has not been ready for 15 minutes',
        'A readiness probe keeps failing, so the pod receives no traffic (php-fpm warming its cache, nginx without its upstream, …).',
        `kubectl -n ${ns} describe pod {{ $labels.pod }}: the probe failures are in Events.`,
      ),
      alert(
        'OroInitJobRetrying',
        `sum by (namespace, job_name) (${series(env, 'kube_job_status_failed')}) > 0 unless on (namespace, job_name) ${series(env, 'kube_job_status_succeeded')} > 0`,
        '10m',
        'warning',
        'Job {{ $labels.job_name }} has failed pods and no success yet',
        'An init job (volume copy, install or restore) failed at least once; later waves stay blocked until it succeeds.',
        `kubectl -n ${ns} logs job/{{ $labels.job_name }}; Oro's install/restore log the failing console command.`,
      ),
      alert(
        'OroInitJobFailed',
        `${series(env, 'kube_job_failed', { condition: 'true' })} > 0`,
        '0m',
        'critical',
        'Job {{ $labels.job_name }} failed for good',
        'The job exhausted its backoffLimit; Argo CD will not progress past its sync wave.',
        `kubectl -n ${ns} logs job/{{ $labels.job_name }}; fix the cause, then re-sync the init-jobs Application (the hook is recreated).`,
      ),
      alert(
        'OroHpaAtMaxReplicas',
        `${series(env, 'kube_horizontalpodautoscaler_status_current_replicas')} >= ${series(env, 'kube_horizontalpodautoscaler_spec_max_replicas')}`,
        '15m',
        'warning',
        'HPA {{ $labels.horizontalpodautoscaler }} is pinned at maxReplicas',
        'The autoscaler wants more pods than it may create; php-fpm saturation alerts usually follow.',
        'Raise app.php-fpm.hpa.maxReplicas in the environment file if the nodes and max_connections have room.',
      ),
    ],
  };
}

export function ruleGroups(env: Environment): RuleGroup[] {
  return [phpFpmRules(env), nginxRules(env), postgresRules(env), kubernetesRules(env)];
}

export function prometheusRule(env: Environment): KubernetesObject {
  return manifest('monitoring.coreos.com/v1', 'PrometheusRule', {
    metadata: operatorObjectMetadata(env, 'orocommerce-alerts'),
    spec: { groups: ruleGroups(env) },
  });
}
