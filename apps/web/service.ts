// The webserver's address: Service `webserver` 80 → nginx's unprivileged 8080, what the Ingress sends the shop to.
import type { V1ContainerPort, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { nginxExporterContainer } from '../monitoring/exporters.ts';
import { exporterSidecars, metricsServicePorts } from '../lib/monitoring.ts';
import { clusterIpService, servicePortFor } from '../lib/objects.ts';

export const WEB_SERVICE_NAME = 'webserver';
/** The Service keeps seed 000's port 80, so in-cluster clients and port-forwards need not know nginx's real port. */
export const WEB_SERVICE_PORT = 80;

/**
 * nginx runs as www-data, which cannot bind 80 on runtimes that keep the unprivileged-port floor at
 * 1024 (CRI-O, containerd < 2.0): it listens on 8080 as Oro's own CI does (ORO_GLOBAL_HTTP_PORT).
 */
export const HTTP_PORT = { name: 'http', containerPort: 8080, protocol: 'TCP' } as const satisfies V1ContainerPort;

export function webSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'web', 'webserver');
}

export function webService(env: Environment): Manifest<V1Service> {
  return clusterIpService(WEB_SERVICE_NAME, webSelector(env), [
    servicePortFor(HTTP_PORT, WEB_SERVICE_PORT),
    ...metricsServicePorts(exporterSidecars(env, nginxExporterContainer)),
  ]);
}
