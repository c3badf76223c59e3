// The shop's Ingresses: the domain to Service `webserver` with TLS, and /ws with websocket-long idle timeouts.
import type { V1Ingress } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webService } from './service.ts';

/** The websocket path browsers use (ORO_WEBSOCKET_FRONTEND_DSN `//*:<port>/ws`), routed by nginx to the websocket upstream. */
export const WEBSOCKET_PATH = '/ws';

function ingress(env: Environment, name: string, path: string, annotations: Record<string, string>): Manifest<V1Ingress> {
  const service = webService(env);
  return typed<V1Ingress>('networking.k8s.io/v1', 'Ingress', {
    metadata: { name, annotations: { ...annotations, ...env.web.ingress.annotations } },
    spec: {
      ingressClassName: env.web.ingress.className,
      ...(env.tls.enabled ? { tls: [{ hosts: [env.domain], secretName: env.tls.secretName }] } : {}),
      rules: [
        {
          host: env.domain,
          http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { name: HTTP_PORT.name } } } }] },
        },
      ],
    },
  });
}

/** Everything but /ws: ordinary request timeouts, and a body size large enough for uploads. */
export function webIngress(env: Environment): Manifest<V1Ingress> {
  return ingress(env, WEB_SERVICE_NAME, '/', { 'nginx.ingress.kubernetes.io/proxy-body-size': env.web.ingress.proxyBodySize });
}

/**
 * /ws gets an Ingress of its own because ingress-nginx sets timeouts per Ingress: it proxies the
 * websocket upgrade like any request, but cuts a connection idle for longer than proxy-read-timeout
 * (60 s by default), which every quiet websocket is. The rest of the shop keeps the short default.
 */
export function websocketIngress(env: Environment): Manifest<V1Ingress> {
  const timeout = String(env.web.websocketTimeoutSeconds);
  return ingress(env, `${WEB_SERVICE_NAME}-ws`, WEBSOCKET_PATH, {
    'nginx.ingress.kubernetes.io/proxy-read-timeout': timeout,
    'nginx.ingress.kubernetes.io/proxy-send-timeout': timeout,
  });
}
