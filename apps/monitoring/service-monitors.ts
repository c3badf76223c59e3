// ServiceMonitors for the three exporters: nginx (webserver), php-fpm and PostgreSQL.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { METRICS_PORT_NAME } from './exporters.ts';
import { operatorObjectMetadata } from './meta.ts';
import { POSTGRES_EXPORTER } from './postgres-exporter.ts';

/**
 * Scrape targets, named as in the seed. Each selects its Service by the workload's selector labels;
 * `job` is taken from `app.kubernetes.io/name`, so the rules can say `job="php-fpm"` whatever the
 * Services are called.
 */
export const SCRAPE_TARGETS = [
  { name: 'nginx-servicemonitor', component: 'web', workload: 'webserver' },
  { name: 'phpfpm-servicemonitor', component: 'app', workload: 'php-fpm' },
  { name: 'postgres-servicemonitor', component: 'monitoring', workload: POSTGRES_EXPORTER },
] as const;

export type ScrapedWorkload = (typeof SCRAPE_TARGETS)[number]['workload'];

const JOB_LABEL = 'app.kubernetes.io/name';

export function serviceMonitors(env: Environment): KubernetesObject[] {
  const ns = env.destination.namespace;
  return SCRAPE_TARGETS.map((t) =>
    manifest('monitoring.coreos.com/v1', 'ServiceMonitor', {
      metadata: operatorObjectMetadata(env, t.name),
      spec: {
        jobLabel: JOB_LABEL,
        selector: { matchLabels: selectorLabels(env, t.component, t.workload) },
        namespaceSelector: { matchNames: [ns] },
        endpoints: [{ port: METRICS_PORT_NAME, path: '/metrics', interval: env.monitoring.scrapeInterval }],
      },
    }),
  );
}
