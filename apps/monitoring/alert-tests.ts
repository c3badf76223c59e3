// Unit tests for every alert, in promtool's `test rules` format: input series as the exporters and
// kube-state-metrics expose them, and when each alert must fire, stay silent, or clear. Run against the
// rendered rules by rules.real.test.ts; rules.test.ts checks that every alert has both kinds of check.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { BACKUP_NAME } from '../db/backup.ts';
import { initJobs } from '../init-jobs/jobs.ts';
import type { AlertRule } from './rules.ts';

/** An alert expected at a check: the labels the expression yields (rule labels are added), and `$value` when its annotations print it. */
export interface ExpectedAlert {
  labels: Record<string, string>;
  value?: number;
}

export interface AlertCase {
  alert: string;
  /** What the case shows, for the test's name. */
  name: string;
  series: { series: string; values: string }[];
  /** Evaluation times and the alerts firing then (an empty list: silent, or cleared). */
  checks: { at: string; firing: ExpectedAlert[] }[];
}

/** Labels Prometheus adds to every kube-state-metrics series (honorLabels keeps the object's own). */
const KSM = { job: 'kube-state-metrics', instance: '10.0.0.9:8080' };

function selector(metric: string, labels: Record<string, string>): string {
  return `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
}

export function alertCases(env: Environment): AlertCase[] {
  const namespace = env.destination.namespace;
  const s = (metric: string, labels: Record<string, string>, values: string) => ({ series: selector(metric, { namespace, ...labels }), values });
  const ksm = (metric: string, labels: Record<string, string>, values: string) => s(metric, { ...KSM, ...labels }, values);
  const [volumeInit, setup] = initJobs(env).map((job) => job.metadata.name) as [string, string];
  const backupJob = (n: number) => `${BACKUP_NAME}-${29000000 + n}`;
  const maxAge = backupMaxAgeHours(env);
  const owner = (job: string, values: string) => ksm('kube_job_owner', { job_name: job, owner_kind: 'CronJob', owner_name: BACKUP_NAME, owner_is_controller: 'true' }, values);

  const up = (job: string, pod: string, values: string) => s('up', { job, pod, instance: '10.0.1.5:9253' }, values);
  const exporterDown = (alert: string, metric: string, job: string, pod: string): AlertCase => {
    const labels = { namespace, job, pod, instance: '10.0.1.5:9253' };
    return {
      alert,
      name: 'fires after 5 minutes down, clears when the exporter reads the server again',
      series: [s(metric, { job, pod, instance: '10.0.1.5:9253' }, '1x4 0x10 1x10')],
      checks: [
        { at: '4m', firing: [] },
        { at: '12m', firing: [{ labels }] },
        { at: '20m', firing: [] },
      ],
    };
  };
  const targetAbsent = (alert: string, job: string, pod: string): AlertCase => ({
    alert,
    name: 'fires when no target of the job exists for 15 minutes, clears when one appears',
    series: [up(job, pod, '_x19 1x20')],
    checks: [
      { at: '10m', firing: [] },
      { at: '17m', firing: [{ labels: { namespace, job } }] },
      { at: '25m', firing: [] },
    ],
  });

  return [
    exporterDown('OroPhpFpmDown', 'phpfpm_up', 'php-fpm', 'orocommerce-app-php-fpm-7d9f-abcde'),
    targetAbsent('OroPhpFpmMetricsAbsent', 'php-fpm', 'orocommerce-app-php-fpm-7d9f-abcde'),
    {
      alert: 'OroPhpFpmMetricsAbsent',
      name: 'stays silent while the target is scraped, even when it is down',
      series: [up('php-fpm', 'orocommerce-app-php-fpm-7d9f-abcde', '0x30')],
      checks: [{ at: '20m', firing: [] }],
    },
    {
      alert: 'OroPhpFpmMaxChildrenReached',
      name: 'fires while the counter keeps rising for 10 minutes, clears 5 minutes after it stops',
      series: [s('phpfpm_max_children_reached', { pod: 'php-fpm-a', pool: 'www' }, '0+1x30 30x30')],
      checks: [
        { at: '5m', firing: [] },
        { at: '20m', firing: [{ labels: { namespace, pod: 'php-fpm-a' } }] },
        { at: '45m', firing: [] },
      ],
    },
    {
      alert: 'OroPhpFpmListenQueue',
      name: 'fires with the queue length after 5 minutes, clears when the queue drains',
      series: [s('phpfpm_listen_queue', { pod: 'php-fpm-a', pool: 'www' }, '0x4 3x10 0x10')],
      checks: [
        { at: '4m', firing: [] },
        { at: '12m', firing: [{ labels: { namespace, pod: 'php-fpm-a' }, value: 3 }] },
        { at: '20m', firing: [] },
      ],
    },
    exporterDown('OroNginxDown', 'nginx_up', 'webserver', 'webserver-5c8d-fghij'),
    targetAbsent('OroNginxMetricsAbsent', 'webserver', 'webserver-5c8d-fghij'),
    {
      alert: 'OroNginxDroppedConnections',
      name: 'fires while accepted connections outgrow handled ones, clears when they match again',
      series: [s('nginx_connections_accepted', { pod: 'web-a' }, '0+10x60'), s('nginx_connections_handled', { pod: 'web-a' }, '0+10x10 100+8x10 190+10x40')],
      checks: [
        { at: '5m', firing: [] },
        { at: '20m', firing: [{ labels: { namespace, pod: 'web-a' } }] },
        { at: '45m', firing: [] },
      ],
    },
    exporterDown('OroPostgresDown', 'pg_up', 'postgres-exporter', 'postgres-exporter-6b7c-klmno'),
    targetAbsent('OroPostgresMetricsAbsent', 'postgres-exporter', 'postgres-exporter-6b7c-klmno'),
    {
      alert: 'OroPostgresTooManyConnections',
      name: 'fires above 80% of max_connections, counting client backends only, and clears below',
      series: [
        s('pg_stat_activity_count', { backend_type: 'client backend', datname: 'orodb', state: 'active' }, '10x5 90x10 10x10'),
        s('pg_stat_activity_count', { backend_type: 'autovacuum worker', datname: 'orodb', state: 'active' }, '50x25'),
        s('pg_settings_max_connections', { server: 'database-orocommerce:5432' }, '100x25'),
      ],
      checks: [
        { at: '5m', firing: [] },
        { at: '12m', firing: [{ labels: { namespace }, value: 0.9 }] },
        { at: '22m', firing: [] },
      ],
    },
    {
      alert: 'OroVolumeFillingUp',
      name: 'fires under 15% free for 10 minutes, clears when space is freed',
      series: [
        s('kubelet_volume_stats_available_bytes', { persistentvolumeclaim: 'pvc-cache' }, '50x5 10x20 50x10'),
        s('kubelet_volume_stats_capacity_bytes', { persistentvolumeclaim: 'pvc-cache' }, '100x35'),
      ],
      checks: [
        { at: '10m', firing: [] },
        { at: '18m', firing: [{ labels: { namespace, persistentvolumeclaim: 'pvc-cache' }, value: 0.1 }] },
        { at: '30m', firing: [] },
      ],
    },
    {
      alert: 'OroVolumeAlmostFull',
      name: 'fires under 5% free for 5 minutes, clears when space is freed; 10% free is only FillingUp',
      series: [
        s('kubelet_volume_stats_available_bytes', { persistentvolumeclaim: 'pvc-db' }, '10x10 3x10 50x10'),
        s('kubelet_volume_stats_capacity_bytes', { persistentvolumeclaim: 'pvc-db' }, '100x30'),
      ],
      checks: [
        { at: '9m', firing: [] },
        { at: '17m', firing: [{ labels: { namespace, persistentvolumeclaim: 'pvc-db' }, value: 0.03 }] },
        { at: '28m', firing: [] },
      ],
    },
    {
      alert: 'OroPodCrashLooping',
      name: 'fires after 15 minutes in CrashLoopBackOff, clears 5 minutes after the container stays up',
      series: [ksm('kube_pod_container_status_waiting_reason', { pod: 'php-fpm-a', container: 'php-fpm', reason: 'CrashLoopBackOff' }, '0x4 1x30 0x20')],
      checks: [
        { at: '10m', firing: [] },
        { at: '25m', firing: [{ labels: { namespace, ...KSM, pod: 'php-fpm-a', container: 'php-fpm', reason: 'CrashLoopBackOff' } }] },
        { at: '50m', firing: [] },
      ],
    },
    {
      alert: 'OroPodNotRunning',
      name: 'fires for a pod Pending 15 minutes and clears once it runs',
      series: [ksm('kube_pod_status_phase', { pod: 'web-b', phase: 'Pending' }, '1x20 0x10')],
      checks: [
        { at: '10m', firing: [] },
        { at: '18m', firing: [{ labels: { namespace, pod: 'web-b' } }] },
        { at: '25m', firing: [] },
      ],
    },
    {
      alert: 'OroPodNotRunning',
      name: "fires for a Failed pod of a ReplicaSet, never for a Job's Failed pod (its Job retried and succeeded)",
      series: [
        ksm('kube_pod_status_phase', { pod: 'php-fpm-c', phase: 'Failed' }, '1x30'),
        ksm('kube_pod_owner', { pod: 'php-fpm-c', owner_kind: 'ReplicaSet', owner_name: 'orocommerce-app-php-fpm-7d9f', owner_is_controller: 'true' }, '1x30'),
        ksm('kube_pod_status_phase', { pod: `${backupJob(1)}-xyz12`, phase: 'Failed' }, '1x30'),
        ksm('kube_pod_owner', { pod: `${backupJob(1)}-xyz12`, owner_kind: 'Job', owner_name: backupJob(1), owner_is_controller: 'true' }, '1x30'),
        ksm('kube_pod_status_phase', { pod: `${setup}-abc34`, phase: 'Failed' }, '1x30'),
        ksm('kube_pod_owner', { pod: `${setup}-abc34`, owner_kind: 'Job', owner_name: setup, owner_is_controller: 'true' }, '1x30'),
      ],
      checks: [{ at: '20m', firing: [{ labels: { namespace, pod: 'php-fpm-c' } }] }],
    },
    {
      alert: 'OroPodNotReady',
      name: 'fires for a running pod unready 15 minutes, clears when ready; a Pending pod is not this alert',
      series: [
        ksm('kube_pod_status_ready', { pod: 'web-a', condition: 'false' }, '1x20 0x10'),
        ksm('kube_pod_status_phase', { pod: 'web-a', phase: 'Running' }, '1x30'),
        ksm('kube_pod_status_ready', { pod: 'web-b', condition: 'false' }, '1x30'),
        ksm('kube_pod_status_phase', { pod: 'web-b', phase: 'Running' }, '0x30'),
      ],
      checks: [
        { at: '10m', firing: [] },
        { at: '18m', firing: [{ labels: { namespace, pod: 'web-a' } }] },
        { at: '25m', firing: [] },
      ],
    },
    {
      alert: 'OroInitJobRetrying',
      name: 'fires while an init job retries, clears when the Job completes although its failed pod stays counted',
      series: [
        ksm('kube_job_status_failed', { job_name: setup, reason: 'Error' }, '0x2 1x40'),
        ksm('kube_job_complete', { job_name: setup, condition: 'true' }, '0x25 1x20'),
        ksm('kube_job_failed', { job_name: setup, condition: 'true' }, '0x45'),
      ],
      checks: [
        { at: '10m', firing: [] },
        { at: '20m', firing: [{ labels: { namespace, job_name: setup } }] },
        { at: '30m', firing: [] },
      ],
    },
    {
      alert: 'OroInitJobRetrying',
      name: "stays silent for the backup's Jobs and for an init job that failed for good (OroInitJobFailed's case)",
      series: [
        ksm('kube_job_status_failed', { job_name: backupJob(1), reason: 'Error' }, '1x30'),
        ksm('kube_job_complete', { job_name: backupJob(1), condition: 'true' }, '0x30'),
        ksm('kube_job_failed', { job_name: backupJob(1), condition: 'true' }, '0x30'),
        ksm('kube_job_status_failed', { job_name: volumeInit, reason: 'BackoffLimitExceeded' }, '2x30'),
        ksm('kube_job_failed', { job_name: volumeInit, condition: 'true' }, '1x30'),
      ],
      checks: [{ at: '20m', firing: [] }],
    },
    {
      alert: 'OroInitJobFailed',
      name: 'fires at once when an init job fails for good, clears when the re-synced hook recreates it',
      series: [ksm('kube_job_failed', { job_name: volumeInit, condition: 'true' }, '0x5 1x10 0x10')],
      checks: [
        { at: '4m', firing: [] },
        { at: '10m', firing: [{ labels: { namespace, ...KSM, job_name: volumeInit, condition: 'true' } }] },
        { at: '20m', firing: [] },
      ],
    },
    {
      alert: 'OroInitJobFailed',
      name: "never fires for a failed backup Job: the backup has its own alert, not this page",
      series: [ksm('kube_job_failed', { job_name: backupJob(1), condition: 'true' }, '1x30')],
      checks: [{ at: '10m', firing: [] }],
    },
    {
      alert: 'OroHpaAtMaxReplicas',
      name: 'fires after 15 minutes at maxReplicas, clears when it scales down',
      series: [
        ksm('kube_horizontalpodautoscaler_status_current_replicas', { horizontalpodautoscaler: 'orocommerce-app-php-fpm' }, '3x5 20x30 10x10'),
        ksm('kube_horizontalpodautoscaler_spec_max_replicas', { horizontalpodautoscaler: 'orocommerce-app-php-fpm' }, '20x45'),
      ],
      checks: [
        { at: '15m', firing: [] },
        { at: '30m', firing: [{ labels: { namespace, ...KSM, horizontalpodautoscaler: 'orocommerce-app-php-fpm' } }] },
        { at: '42m', firing: [] },
      ],
    },
    {
      alert: 'OroBackupFailed',
      name: 'fires when the newest backup Job failed, clears while a newer Job (the next night, or a manual one) has not failed, fires again if it fails',
      series: [
        owner(backupJob(1), '1x60'),
        ksm('kube_job_status_start_time', { job_name: backupJob(1) }, '100x60'),
        ksm('kube_job_failed', { job_name: backupJob(1), condition: 'true' }, '0x3 1x57'),
        owner(backupJob(2), '_x29 1x30'),
        ksm('kube_job_status_start_time', { job_name: backupJob(2) }, '_x29 1800x30'),
        ksm('kube_job_failed', { job_name: backupJob(2), condition: 'true' }, '_x29 0x15 1x15'),
      ],
      checks: [
        { at: '3m', firing: [] },
        { at: '20m', firing: [{ labels: { namespace, job_name: backupJob(1) } }] },
        { at: '40m', firing: [] },
        { at: '55m', firing: [{ labels: { namespace, job_name: backupJob(2) } }] },
      ],
    },
    {
      alert: 'OroBackupFailed',
      name: "stays silent when an older failed Job is kept in the history but the newest succeeded, and for other Jobs",
      series: [
        owner(backupJob(1), '1x30'),
        ksm('kube_job_status_start_time', { job_name: backupJob(1) }, '100x30'),
        ksm('kube_job_failed', { job_name: backupJob(1), condition: 'true' }, '1x30'),
        owner(backupJob(2), '1x30'),
        ksm('kube_job_status_start_time', { job_name: backupJob(2) }, '1800x30'),
        ksm('kube_job_failed', { job_name: backupJob(2), condition: 'true' }, '0x30'),
        ksm('kube_job_status_start_time', { job_name: setup }, '3600x30'),
        ksm('kube_job_failed', { job_name: setup, condition: 'true' }, '1x30'),
      ],
      checks: [{ at: '20m', firing: [] }],
    },
    {
      alert: 'OroBackupTooOld',
      name: 'fires when the last success is older than backupMaxAge, clears after a new success',
      series: [
        ksm('kube_cronjob_created', { cronjob: BACKUP_NAME }, `0x${(maxAge + 4) * 60}`),
        ksm('kube_cronjob_status_last_successful_time', { cronjob: BACKUP_NAME }, `0x${(maxAge + 3) * 60 - 1} ${(maxAge + 3) * 3600}x60`),
      ],
      checks: [
        { at: `${maxAge - 1}h`, firing: [] },
        { at: `${maxAge + 2}h`, firing: [{ labels: { namespace, cronjob: BACKUP_NAME } }] },
        { at: `${(maxAge + 3) * 60 + 10}m`, firing: [] },
      ],
    },
    {
      alert: 'OroBackupTooOld',
      name: 'fires when the CronJob never succeeded in backupMaxAge, and not before',
      series: [ksm('kube_cronjob_created', { cronjob: BACKUP_NAME }, `0x${(maxAge + 3) * 60}`)],
      checks: [
        { at: '10h', firing: [] },
        { at: `${maxAge + 2}h`, firing: [{ labels: { namespace, cronjob: BACKUP_NAME } }] },
      ],
    },
  ];
}

function backupMaxAgeHours(env: Environment): number {
  return Number(env.monitoring.alerting.backupMaxAge.replace(/h$/, ''));
}

/** Go's `%.4g` for the values these tests use (humanizePercentage prints `%.4g%%` of value × 100). */
function goG4(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e4)) throw new Error(`a test value of ${x} would print in exponent form: pick a rounder one`);
  return String(Number(x.toPrecision(4)));
}

/**
 * An annotation as Prometheus expands it, for the template forms the rules use: `{{ $labels.NAME }}`
 * (a missing label prints `<no value>`, as Go's templates do), `{{ $value }}` and
 * `{{ $value | humanizePercentage }}`. Any other template fails, so a new form gets a new case here.
 */
export function expandAnnotation(text: string, labels: Record<string, string>, value: number | undefined): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, inner: string) => {
    const label = /^\$labels\.([a-zA-Z_]\w*)$/.exec(inner);
    if (label) return labels[label[1]!] ?? '<no value>';
    if (inner === '$value' || inner === '$value | humanizePercentage') {
      if (value === undefined) throw new Error(`the annotation prints $value: give the expected alert a value (${text})`);
      if (inner === '$value') {
        if (!Number.isInteger(value) && Math.abs(value) < 1e-4) throw new Error(`pick a rounder test value than ${value}`);
        return String(value);
      }
      return `${goG4(value * 100)}%`;
    }
    throw new Error(`template {{ ${inner} }} is not understood by expandAnnotation; extend it`);
  });
}

/** promtool's test file for `rules` (the rule file named `ruleFile`): only the cases of alerts the rules contain. */
export function promtoolTests(ruleFile: string, rules: readonly AlertRule[], cases: readonly AlertCase[]): Record<string, unknown> {
  const byName = new Map(rules.map((r) => [r.alert, r]));
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: cases
      .filter((c) => byName.has(c.alert))
      .map((c) => {
        const rule = byName.get(c.alert)!;
        return {
          name: `${c.alert}: ${c.name}`,
          interval: '1m',
          input_series: c.series,
          alert_rule_test: c.checks.map((check) => ({
            eval_time: check.at,
            alertname: c.alert,
            exp_alerts: check.firing.map((f) => ({
              exp_labels: { ...f.labels, ...rule.labels },
              exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expandAnnotation(v, f.labels, f.value)])),
            })),
          })),
        };
      }),
  };
}
