// The OroCommerce Grafana dashboard, built from small panel helpers and shipped as a sidecar-loaded ConfigMap.
import { createHash } from 'node:crypto';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';
import { monitoringMetadata } from './meta.ts';
import { series } from './rules.ts';
import { DASHBOARD_LABEL, PROMETHEUS_DATASOURCE_UID } from './stack.ts';

/** The dashboard picks its Prometheus from this variable, so it also works in a Grafana that is not the stack's. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;

interface Query {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  unit: string;
  queries: Query[];
}

function query(expr: string, legend: string): Query {
  return { expr, legend };
}

/** Grafana's timeseries panel; ids and grid positions follow the list order, two panels per row. */
function panel(spec: PanelSpec, index: number): Record<string, unknown> {
  return {
    id: index + 1,
    type: 'timeseries',
    title: spec.title,
    datasource: DATASOURCE,
    gridPos: { h: PANEL_HEIGHT, w: PANEL_WIDTH, x: (index % 2) * PANEL_WIDTH, y: Math.floor(index / 2) * PANEL_HEIGHT },
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: spec.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
    })),
  };
}

/**
 * The panels. nginx's stub_status has no status codes, so the request panel shows throughput and
 * connection states; a 5xx ratio needs the Ingress controller's metrics, which this stack does not scrape.
 */
export function panelSpecs(env: Environment): PanelSpec[] {
  const s = (metric: string, matchers: Record<string, string> = {}) => series(env, metric, matchers);
  const pvcRatio = `${s('kubelet_volume_stats_used_bytes')} / ${s('kubelet_volume_stats_capacity_bytes')}`;
  return [
    {
      title: 'nginx requests per second',
      unit: 'reqps',
      queries: [query(`sum(rate(${s('nginx_http_requests_total')}[5m]))`, 'requests/s')],
    },
    {
      title: 'nginx connections',
      unit: 'short',
      queries: [
        query(`sum(${s('nginx_connections_active')})`, 'active'),
        query(`sum(${s('nginx_connections_waiting')})`, 'waiting (keep-alive)'),
        query(`sum(rate(${s('nginx_connections_accepted')}[5m])) - sum(rate(${s('nginx_connections_handled')}[5m]))`, 'dropped/s'),
      ],
    },
    {
      title: 'php-fpm processes',
      unit: 'short',
      queries: [
        query(`sum(${s('phpfpm_active_processes')})`, 'active'),
        query(`sum(${s('phpfpm_idle_processes')})`, 'idle'),
      ],
    },
    {
      title: 'php-fpm saturation',
      unit: 'short',
      queries: [
        query(`sum(${s('phpfpm_listen_queue')})`, 'listen queue'),
        query(`sum(increase(${s('phpfpm_max_children_reached')}[5m]))`, 'max_children reached (5m)'),
      ],
    },
    {
      title: 'HPA replicas',
      unit: 'short',
      queries: [
        query(`sum by (horizontalpodautoscaler) (${s('kube_horizontalpodautoscaler_status_current_replicas')})`, '{{horizontalpodautoscaler}} current'),
        query(`sum by (horizontalpodautoscaler) (${s('kube_horizontalpodautoscaler_spec_max_replicas')})`, '{{horizontalpodautoscaler}} max'),
      ],
    },
    {
      title: 'PostgreSQL connections',
      unit: 'short',
      queries: [
        query(`sum by (state) (${s('pg_stat_activity_count', { backend_type: 'client backend' })})`, '{{state}}'),
        query(`max(${s('pg_settings_max_connections')})`, 'max_connections'),
      ],
    },
    {
      title: 'PostgreSQL database size',
      unit: 'bytes',
      queries: [query(`max(${s('pg_database_size_bytes', { datname: env.db.database })})`, env.db.database)],
    },
    {
      title: 'Volume usage',
      unit: 'percentunit',
      queries: [query(`max by (persistentvolumeclaim) (${pvcRatio})`, '{{persistentvolumeclaim}}')],
    },
    {
      title: 'Container restarts (1h)',
      unit: 'short',
      queries: [
        query(`sum by (pod, container) (increase(${s('kube_pod_container_status_restarts_total')}[1h])) > 0`, '{{pod}}/{{container}}'),
      ],
    },
  ];
}

/** Grafana uids stop at 40 characters; a hash of the environment keeps them short and distinct. */
export function dashboardUid(env: Environment): string {
  return `oro-${createHash('sha256').update(`orocommerce/${env.name}`).digest('hex').slice(0, 16)}`;
}

export function dashboardModel(env: Environment): Record<string, unknown> {
  return {
    uid: dashboardUid(env),
    title: `OroCommerce (${env.name})`,
    tags: ['orocommerce', env.name],
    timezone: 'utc',
    editable: false,
    refresh: '1m',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: { text: 'Prometheus', value: PROMETHEUS_DATASOURCE_UID },
        },
      ],
    },
    panels: panelSpecs(env).map(panel),
  };
}

export const DASHBOARD_FILE = 'orocommerce.json';

export function dashboardConfigMap(env: Environment): KubernetesObject {
  return manifest('v1', 'ConfigMap', {
    metadata: monitoringMetadata(env, 'orocommerce-dashboard', 'orocommerce-dashboard', { ...DASHBOARD_LABEL }),
    data: { [DASHBOARD_FILE]: `${JSON.stringify(dashboardModel(env), null, 2)}\n` },
  });
}
