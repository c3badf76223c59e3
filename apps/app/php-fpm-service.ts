// php-fpm's address: Service `orocommerce-app-php-fpm` on FastCGI port 9000, what nginx's `app` upstream names.
import type { V1ContainerPort, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { phpFpmExporterContainer } from '../monitoring/exporters.ts';
import { exporterSidecars, metricsServicePorts } from '../lib/monitoring.ts';
import { clusterIpService, servicePortFor } from '../lib/objects.ts';

/** Seed 000's Service name. */
export const PHP_FPM_SERVICE_NAME = 'orocommerce-app-php-fpm';
/** FastCGI, not HTTP: probes use php-fpm-healthcheck or a TCP connect, never httpGet. */
export const FASTCGI_PORT = { name: 'fastcgi', containerPort: 9000, protocol: 'TCP' } as const satisfies V1ContainerPort;

export function phpFpmSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'app', 'php-fpm');
}

export function phpFpmService(env: Environment): Manifest<V1Service> {
  return clusterIpService(PHP_FPM_SERVICE_NAME, phpFpmSelector(env), [
    servicePortFor(FASTCGI_PORT),
    ...metricsServicePorts(exporterSidecars(env, phpFpmExporterContainer)),
  ]);
}
