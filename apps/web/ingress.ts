// The shop's Ingress: the domain to Service `webserver`, TLS when enabled, timeouts long enough for websockets.
import type { V1Ingress } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webService } from './service.ts';

/**
 * ingress-nginx proxies the websocket upgrade on /ws like any request (nginx inside the pod routes
 * /ws to the websocket upstream); it only needs idle timeouts longer than its 60s default, or every
 * quiet websocket is cut after a minute. The environment's own annotations win.
 */
function annotations(env: Environment): Record<string, string> {
  const ingress = env.web.ingress;
  const timeout = String(ingress.proxyTimeoutSeconds);
  return {
    'nginx.ingress.kubernetes.io/proxy-read-timeout': timeout,
    'nginx.ingress.kubernetes.io/proxy-send-timeout': timeout,
    'nginx.ingress.kubernetes.io/proxy-body-size': ingress.proxyBodySize,
    ...ingress.annotations,
  };
}

export function webIngress(env: Environment): Manifest<V1Ingress> {
  const service = webService(env);
  return typed<V1Ingress>('networking.k8s.io/v1', 'Ingress', {
    metadata: { name: WEB_SERVICE_NAME, annotations: annotations(env) },
    spec: {
      ingressClassName: env.web.ingress.className,
      ...(env.tls.enabled ? { tls: [{ hosts: [env.domain], secretName: env.tls.secretName }] } : {}),
      rules: [
        {
          host: env.domain,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: HTTP_PORT.name } } } }],
          },
        },
      ],
    },
  });
}
