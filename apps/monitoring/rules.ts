// PrometheusRule with OroCommerce's failure modes, written against the metrics our exporters really expose.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';
import { BACKUP_NAME } from '../db/backup.ts';
import { initJobs } from '../init-jobs/jobs.ts';
import { operatorObjectMetadata } from './meta.ts';
import type { ScrapedWorkload } from './service-monitors.ts';

export type Severity = 'critical' | 'warning';

/** The label Alertmanager routes the backup's alerts by (to the `backup` receiver), whatever their severity. */
export const CATEGORY_LABEL = 'category';
export const BACKUP_CATEGORY = 'backup';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity; [CATEGORY_LABEL]?: string };
  annotations: { summary: string; description: string; runbook: string; runbook_url?: string };
}

/** While `source` fires, Alertmanager holds back `targets` that share the `equal` labels: one cause, one notification. */
export interface Inhibition {
  source: string;
  targets: string[];
  equal: string[];
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

/** The init jobs' names as one anchored regex: the backup's Jobs (and any other) are not init jobs. */
function initJobNamesRegex(env: Environment): Matcher {
  return { regex: initJobs(env).map((job) => job.metadata.name).join('|') };
}

function kubernetesRules(env: Environment): RuleGroup {
  const ns = env.destination.namespace;
  const initJobNames = initJobNamesRegex(env);
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
      // A Job's failed pods stay after the Job retried and succeeded: Jobs are judged by their own
      // outcome (the init-job and backup alerts), so their pods count here only while Pending or Unknown.
      alert(
        'OroPodNotRunning',
        `sum by (namespace, pod) (${series(env, 'kube_pod_status_phase', { phase: { regex: 'Pending|Unknown' } })}) > 0 or (sum by (namespace, pod) (${series(env, 'kube_pod_status_phase', { phase: 'Failed' })}) > 0 unless on (namespace, pod) ${series(env, 'kube_pod_owner', { owner_kind: 'Job' })})`,
        '15m',
        'warning',
        'Pod {{ $labels.pod }} has not been running for 15 minutes',
        'The pod is Pending (scheduling, volume attach, image pull), Unknown, or Failed (pods of Jobs: see the Job alerts).',
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
        `sum by (namespace, job_name) (${series(env, 'kube_job_status_failed', { job_name: initJobNames })}) > 0 unless on (namespace, job_name) (${series(env, 'kube_job_complete', { job_name: initJobNames, condition: 'true' })} == 1 or ${series(env, 'kube_job_failed', { job_name: initJobNames, condition: 'true' })} == 1)`,
        '10m',
        'warning',
        'Init job {{ $labels.job_name }} has failed pods and has not finished',
        'An init job (volume copy, install or restore) failed at least once and is retrying; later waves stay blocked until it succeeds. Clears when the Job completes.',
        `kubectl -n ${ns} logs job/{{ $labels.job_name }}; Oro's install/restore log the failing console command.`,
      ),
      alert(
        'OroInitJobFailed',
        `${series(env, 'kube_job_failed', { job_name: initJobNames, condition: 'true' })} == 1`,
        '0m',
        'critical',
        'Init job {{ $labels.job_name }} failed for good',
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

/** Where the runbooks live, as a link that opens in the repository's web view (GitHub, GitLab, Gitea). */
export function runbookUrl(env: Environment, anchor: string): string {
  const repo = env.source.repoURL.replace(/\.git$/, '');
  return `${repo}/blob/${env.source.targetRevision}/apps/monitoring/RUNBOOKS.md#${anchor}`;
}

function hours(duration: string): number {
  return Number(duration.replace(/h$/, ''));
}

/**
 * The nightly backup judged by outcomes, never by pods: the newest Job of its CronJob (a manual
 * `kubectl create job --from=cronjob/…` counts, it is owned by the CronJob too) failed, or no backup
 * succeeded for `monitoring.alerting.backupMaxAge`. An older failed Job kept in the history does not
 * fire once a newer one succeeded. Routed to the `backup` receiver, not paged as critical.
 */
function backupRules(env: Environment): RuleGroup[] {
  if (!env.db.backup.enabled) return [];
  const ns = env.destination.namespace;
  const owned = series(env, 'kube_job_owner', { owner_kind: 'CronJob', owner_name: BACKUP_NAME });
  const started = `max by (namespace, job_name) (${series(env, 'kube_job_status_start_time')} * on (namespace, job_name) group_left () (${owned} == 1))`;
  const newest = `(${started} == on (namespace) group_left () max by (namespace) (${started}))`;
  const maxAge = hours(env.monitoring.alerting.backupMaxAge) * 3600;
  const lastSuccess = series(env, 'kube_cronjob_status_last_successful_time', { cronjob: BACKUP_NAME });
  const created = series(env, 'kube_cronjob_created', { cronjob: BACKUP_NAME });
  const backup = (rule: AlertRule, anchor: string): AlertRule => ({
    ...rule,
    labels: { ...rule.labels, [CATEGORY_LABEL]: BACKUP_CATEGORY },
    annotations: { ...rule.annotations, runbook_url: runbookUrl(env, anchor) },
  });
  return [
    {
      name: 'orocommerce-backup',
      rules: [
        backup(
          alert(
            'OroBackupFailed',
            `max by (namespace, job_name) (${series(env, 'kube_job_failed', { condition: 'true' })} == 1) and on (namespace, job_name) ${newest}`,
            '1m',
            'warning',
            'The latest database backup {{ $labels.job_name }} failed',
            'The newest Job of CronJob ' + BACKUP_NAME + ' failed after its retry; no new dump was written and older dumps were kept. Clears when a newer backup Job (the next run, or one started by hand) is under way or done without failing.',
            `kubectl -n ${ns} logs job/{{ $labels.job_name }}, then apps/monitoring/RUNBOOKS.md#orobackupfailed.`,
          ),
          'orobackupfailed',
        ),
        backup(
          alert(
            'OroBackupTooOld',
            `time() - max by (namespace, cronjob) (${lastSuccess}) > ${maxAge} or (time() - max by (namespace, cronjob) (${created}) > ${maxAge} unless on (namespace, cronjob) ${lastSuccess})`,
            '30m',
            'warning',
            'No database backup has succeeded for ' + env.monitoring.alerting.backupMaxAge,
            'CronJob ' + BACKUP_NAME + ' has no successful run in the last ' + env.monitoring.alerting.backupMaxAge + ' (failed, missed, suspended or never run): a restore would lose more than a day.',
            `kubectl -n ${ns} get cronjob ${BACKUP_NAME} and its Jobs, then apps/monitoring/RUNBOOKS.md#orobackuptooold.`,
          ),
          'orobackuptooold',
        ),
      ],
    },
  ];
}

export function ruleGroups(env: Environment): RuleGroup[] {
  return [phpFpmRules(env), nginxRules(env), postgresRules(env), kubernetesRules(env), ...backupRules(env)];
}

/**
 * Pairs where one alert is the cause of another: Alertmanager sends the cause only. Only pairs whose
 * alerts this environment renders.
 */
export function alertInhibitions(env: Environment): Inhibition[] {
  const rendered = new Set(ruleGroups(env).flatMap((g) => g.rules.map((r) => r.alert)));
  const all: Inhibition[] = [
    { source: 'OroVolumeAlmostFull', targets: ['OroVolumeFillingUp'], equal: ['namespace', 'persistentvolumeclaim'] },
    { source: 'OroPhpFpmDown', targets: ['OroPhpFpmListenQueue', 'OroPhpFpmMaxChildrenReached', 'OroPodNotReady'], equal: ['namespace', 'pod'] },
    { source: 'OroNginxDown', targets: ['OroNginxDroppedConnections', 'OroPodNotReady'], equal: ['namespace', 'pod'] },
    { source: 'OroPostgresDown', targets: ['OroPostgresTooManyConnections', 'OroBackupFailed', 'OroBackupTooOld'], equal: ['namespace'] },
    { source: 'OroInitJobFailed', targets: ['OroInitJobRetrying'], equal: ['namespace', 'job_name'] },
  ];
  return all
    .filter((i) => rendered.has(i.source))
    .map((i) => ({ ...i, targets: i.targets.filter((t) => rendered.has(t)) }))
    .filter((i) => i.targets.length > 0);
}

export function prometheusRule(env: Environment): KubernetesObject {
  return manifest('monitoring.coreos.com/v1', 'PrometheusRule', {
    metadata: operatorObjectMetadata(env, 'orocommerce-alerts'),
    spec: { groups: ruleGroups(env) },
  });
}
