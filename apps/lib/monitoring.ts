// Exporter sidecars of the monitoring component, added to the php-fpm and nginx pods when monitoring is enabled.
import type { V1Container, V1ServicePort } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { METRICS_PORT_NAME } from '../monitoring/exporters.ts';

/** The sidecar when `monitoring.enabled`, else none. */
export function exporterSidecars(env: Environment, exporter: (env: Environment) => V1Container): V1Container[] {
  return env.monitoring.enabled ? [exporter(env)] : [];
}

/** The Service port named `metrics` for each sidecar, so a ServiceMonitor can select it by name. */
export function metricsServicePorts(sidecars: readonly V1Container[]): V1ServicePort[] {
  return sidecars.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.name === METRICS_PORT_NAME)
      .map((p) => ({ name: METRICS_PORT_NAME, port: p.containerPort, targetPort: METRICS_PORT_NAME, protocol: 'TCP' })),
  );
}
