// The websocket Deployment `orocommerce-websocket`: Oro's websocket server on 8080.
import type { V1Deployment, V1Probe } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { surgeRollout } from '../lib/availability.ts';
import { oroDeployment } from '../lib/deployment.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { WEBSOCKET_PORT, websocketSelector } from './service.ts';

/** Seed 000's Deployment name. */
export const WEBSOCKET_NAME = 'orocommerce-websocket';

function tcpProbe(periodSeconds: number, failureThreshold: number): V1Probe {
  return { tcpSocket: { port: WEBSOCKET_PORT.name }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/**
 * Waits for the init jobs like every Oro Deployment (seed 002, lib/deployment.ts). `shareProcessNamespace`
 * stands in for Compose's `init: true`. The startup probe covers the Symfony kernel boot before the port opens.
 */
export function websocketDeployment(env: Environment): Manifest<V1Deployment> {
  const settings = env.websocket;
  return oroDeployment(env, {
    name: WEBSOCKET_NAME,
    selector: websocketSelector(env),
    replicas: settings.replicas,
    strategy: surgeRollout(),
    pod: {
      ...oroPodSpec(env, {
        role: 'websocket',
        serviceAccountName: WEBSOCKET_NAME,
        containers: [
          {
            ...oroContainer(env, { name: 'websocket', role: 'websocket', args: ['websocket'], resources: settings.resources }),
            ports: [WEBSOCKET_PORT],
            startupProbe: tcpProbe(5, 24),
            readinessProbe: tcpProbe(10, 3),
            livenessProbe: tcpProbe(20, 3),
          },
        ],
      }),
      shareProcessNamespace: true,
    },
  });
}
