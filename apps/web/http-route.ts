// The shop's HTTPRoutes on the platform's Gateway: the domain to Service `webserver`, /ws with its own timeout, and the HTTP → HTTPS redirect.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { InputError } from '../../scripts/lib/errors.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { servicePort } from '../lib/objects.ts';
import { WEBSOCKET_PATH } from './ingress.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webService } from './service.ts';

/** The Gateway API group; HTTPRoute is served as `v1` by every standard-channel release since v1.0. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The subset of gateway.networking.k8s.io/v1 HTTPRoute this repository renders (client-node does not model it). */
export interface HTTPRouteSpec {
  parentRefs: { group: string; kind: string; name: string; namespace: string; sectionName?: string }[];
  hostnames: string[];
  rules: {
    matches: { path: { type: 'PathPrefix'; value: string } }[];
    backendRefs?: { name: string; port: number }[];
    filters?: { type: 'RequestRedirect'; requestRedirect: { scheme: 'https'; statusCode: 301; port?: number } }[];
    timeouts?: { request: string };
  }[];
}

export type HTTPRoute = Manifest<{ metadata: V1ObjectMeta & { name: string }; spec: HTTPRouteSpec }>;

/**
 * Seconds as a Gateway API Duration (GEP-2257: up to four `<1-5 digits><unit>` parts), largest units first, so
 * any number of seconds fits the CRD's pattern: 3600 → `1h`, 5400 → `1h30m`, 100000 → `27h46m40s`.
 */
export function gatewayDuration(seconds: number): string {
  const parts: [number, string][] = [[Math.floor(seconds / 3600), 'h'], [Math.floor((seconds % 3600) / 60), 'm'], [seconds % 60, 's']];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('') || '0s';
}

/** The name of the route that redirects plain HTTP to HTTPS. */
export const REDIRECT_ROUTE_NAME = `${WEB_SERVICE_NAME}-https-redirect`;

function parentRef(env: Environment, sectionName: string | undefined): HTTPRouteSpec['parentRefs'][number] {
  const { name, namespace } = env.web.gateway;
  return { group: GATEWAY_GROUP, kind: 'Gateway', name, namespace, ...(sectionName ? { sectionName } : {}) };
}

function route(env: Environment, name: string, sectionName: string | undefined, rule: HTTPRouteSpec['rules'][number]): HTTPRoute {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name },
    spec: { parentRefs: [parentRef(env, sectionName)], hostnames: [env.domain], rules: [rule] },
  };
}

/** Service `webserver` by its port number (a backendRef cannot name a port), read from the rendered Service. */
function webBackend(env: Environment): { name: string; port: number }[] {
  const service = webService(env);
  return [{ name: service.metadata.name, port: servicePort(service, HTTP_PORT.name) }];
}

/**
 * Everything but /ws. `0s` turns the request deadline off (GEP-1742: zero disables it) instead of leaving the
 * implementation's default, which is 15 s on Envoy-based gateways and would cut back-office imports and large
 * downloads: as behind ingress-nginx, only idle timeouts apply, and php-fpm bounds PHP time itself.
 */
export function webRoute(env: Environment): HTTPRoute {
  return route(env, WEB_SERVICE_NAME, env.web.gateway.sectionName, {
    matches: [{ path: { type: 'PathPrefix', value: '/' } }],
    backendRefs: webBackend(env),
    timeouts: { request: '0s' },
  });
}

/**
 * /ws has a route of its own for its timeout, as it had an Ingress of its own: the standard request timeout
 * bounds a websocket connection's life (`web.websocketTimeoutSeconds`); the longest path prefix wins, so /ws
 * never falls under the front route.
 */
export function websocketRoute(env: Environment): HTTPRoute {
  return route(env, `${WEB_SERVICE_NAME}-ws`, env.web.gateway.sectionName, {
    matches: [{ path: { type: 'PathPrefix', value: WEBSOCKET_PATH } }],
    backendRefs: webBackend(env),
    timeouts: { request: gatewayDuration(env.web.websocketTimeoutSeconds) },
  });
}

/** The redirect needs the routes off the plain listener, or both would claim the same host and path there. */
function assertRedirectPossible(env: Environment): void {
  const field = 'web.gateway.redirectSectionName';
  const problem = !env.tls.enabled
    ? 'redirects to HTTPS, but tls.enabled is false: remove it, or enable TLS'
    : !env.web.gateway.sectionName
      ? 'needs web.gateway.sectionName (the HTTPS listener), so the shop\'s routes stay off the plain listener'
      : env.web.gateway.sectionName === env.web.gateway.redirectSectionName
        ? 'names the same listener as web.gateway.sectionName; give the plain-HTTP one'
        : undefined;
  if (problem) throw new InputError([{ file: `environments/${env.name}.yaml`, field, message: problem }]);
}

/** A 301 to the same URL over HTTPS, on the plain-HTTP listener (on `web.publicPort` when the shop has one). */
export function redirectRoute(env: Environment): HTTPRoute[] {
  const section = env.web.gateway.redirectSectionName;
  if (section === undefined) return [];
  assertRedirectPossible(env);
  const port = env.web.publicPort === undefined ? {} : { port: env.web.publicPort };
  return [
    route(env, REDIRECT_ROUTE_NAME, section, {
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301, ...port } }],
    }),
  ];
}

/** Every route of the shop, in a stable order. */
export function httpRoutes(env: Environment): HTTPRoute[] {
  return [webRoute(env), websocketRoute(env), ...redirectRoute(env)];
}
