// The websocket server's address: Service `orocommerce-websocket-ws` on 8080, what PHP publishes to.
import type { V1ContainerPort, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { clusterIpService, servicePortFor } from '../lib/objects.ts';

/** Seed 000's name of the "real" websocket Service. */
export const WEBSOCKET_SERVICE_NAME = 'orocommerce-websocket-ws';

/**
 * 8080, not the seed's 80: Oro's server listens on ORO_WEBSOCKET_SERVER_DSN=//0.0.0.0:8080 as www-data,
 * which cannot bind below 1024 (oro-compose §4 row 1). Browsers use the public port (web.publicPort) through nginx's /ws.
 */
export const WEBSOCKET_PORT = { name: 'websocket', containerPort: 8080, protocol: 'TCP' } as const satisfies V1ContainerPort;

export function websocketSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'websocket', 'websocket');
}

export function websocketService(env: Environment): Manifest<V1Service> {
  return clusterIpService(WEBSOCKET_SERVICE_NAME, websocketSelector(env), [servicePortFor(WEBSOCKET_PORT)]);
}
