// php-fpm's address: Service `orocommerce-app-php-fpm` on FastCGI port 9000, what nginx's `app` upstream names.
import type { V1ContainerPort, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { phpFpmExporterContainer } from '../monitoring/exporters.ts';
import { exporterSidecars, metricsServicePorts } from '../lib/monitoring.ts';
import { typed } from '../lib/objects.ts';

/** Seed 000's Service name. */
export const PHP_FPM_SERVICE_NAME = 'orocommerce-app-php-fpm';
/** FastCGI, not HTTP: probes use php-fpm-healthcheck or a TCP connect, never httpGet. */
export const FASTCGI_PORT = { name: 'fastcgi', containerPort: 9000, protocol: 'TCP' } as const satisfies V1ContainerPort;

export function phpFpmSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'app', 'php-fpm');
}

export function phpFpmService(env: Environment): Manifest<V1Service> {
  const selector = phpFpmSelector(env);
  return typed<V1Service>('v1', 'Service', {
    metadata: { name: PHP_FPM_SERVICE_NAME, labels: { ...selector } },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [
        { name: FASTCGI_PORT.name, port: FASTCGI_PORT.containerPort, targetPort: FASTCGI_PORT.name, protocol: 'TCP' },
        ...metricsServicePorts(exporterSidecars(env, phpFpmExporterContainer)),
      ],
    },
  });
}
