// Service `orocommerce-websocket`, seed 000's "alias for the webserver": the name nginx's `ws` upstream uses.
import type { V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { typed } from '../lib/objects.ts';
import { websocketService } from '../websocket/service.ts';

export const WEBSOCKET_ALIAS_NAME = 'orocommerce-websocket';

/**
 * Same pods and ports as the websocket Service, read from that object so the two can never drift. The
 * alias has labels of its own (component websocket-alias) so no ServiceMonitor mistakes it for the real one.
 */
export function websocketAliasService(env: Environment): Manifest<V1Service> {
  const target = websocketService(env).spec ?? {};
  return typed<V1Service>('v1', 'Service', {
    metadata: { name: WEBSOCKET_ALIAS_NAME, labels: selectorLabels(env, 'websocket-alias', 'websocket') },
    spec: { type: 'ClusterIP', selector: { ...target.selector }, ports: (target.ports ?? []).map((p) => ({ ...p })) },
  });
}
