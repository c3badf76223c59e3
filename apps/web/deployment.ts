// The nginx Deployment `webserver`: Oro's nginx on unprivileged 8080, configured by nginx-init, in front of php-fpm and websocket.
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { FASTCGI_PORT, phpFpmService } from '../app/php-fpm-service.ts';
import { surgeRollout } from '../lib/availability.ts';
import { oroDeployment } from '../lib/deployment.ts';
import { exporterSidecars } from '../lib/monitoring.ts';
import { serviceAddress } from '../lib/objects.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { waitForService } from '../lib/waiter.ts';
import { nginxExporterContainer } from '../monitoring/exporters.ts';
import { NGINX_CONFIG_MOUNT, NGINX_CONFIG_VOLUME, NGINX_TOOL_VOLUME, nginxInitContainers } from './nginx-init.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webSelector } from './service.ts';

/** Seconds a stopping pod keeps serving while the Ingress controller drops its endpoint. */
const DRAIN_SECONDS = 5;

/**
 * QUIT is nginx's graceful stop (TERM is the fast one, D-14): after the drain, `nginx -s quit` (or QUIT
 * to PID 1 when the config's pid file is elsewhere), then time for the requests in flight, which wait
 * on php-fpm at most as long as php-fpm's own longest request.
 */
function gracefulQuit(env: Environment): string {
  return [`sleep ${DRAIN_SECONDS}`, 'nginx -s quit 2>/dev/null || kill -QUIT 1', `sleep ${env.app['php-fpm'].maxRequestSeconds}`].join('\n');
}

export function webGracePeriod(env: Environment): number {
  return DRAIN_SECONDS + env.app['php-fpm'].maxRequestSeconds + 10;
}

/**
 * Readiness is Compose's check, `GET /` for the shop's host: it runs PHP, so it also fails while
 * php-fpm or the database is down and returns 503 under the maintenance lock. Liveness only checks
 * that nginx accepts connections, so a backend outage never restarts nginx.
 */
export function nginxContainer(env: Environment): V1Container {
  const base = oroContainer(env, { name: 'nginx', role: 'webserver', args: ['nginx'], resources: env.web.resources });
  return {
    ...base,
    ports: [HTTP_PORT],
    volumeMounts: [...(base.volumeMounts ?? []), NGINX_CONFIG_MOUNT],
    startupProbe: { tcpSocket: { port: HTTP_PORT.name }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 24 },
    readinessProbe: {
      httpGet: { path: '/', port: HTTP_PORT.name, httpHeaders: [{ name: 'Host', value: env.domain }] },
      periodSeconds: 15,
      timeoutSeconds: 10,
      failureThreshold: 3,
    },
    livenessProbe: { tcpSocket: { port: HTTP_PORT.name }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    lifecycle: { preStop: { exec: { command: ['bash', '-c', gracefulQuit(env)] } } },
  };
}

/** Seed 002: the webserver waits for the init jobs (lib/deployment.ts) and for php-fpm, then renders its config. */
export function webDeployment(env: Environment): Manifest<V1Deployment> {
  return oroDeployment(env, {
    name: WEB_SERVICE_NAME,
    selector: webSelector(env),
    replicas: env.web.replicas,
    strategy: surgeRollout(),
    pod: oroPodSpec(env, {
      role: 'webserver',
      serviceAccountName: WEB_SERVICE_NAME,
      terminationGracePeriodSeconds: webGracePeriod(env),
      initContainers: [waitForService(env, 'php-fpm', serviceAddress(phpFpmService(env), FASTCGI_PORT.name)), ...nginxInitContainers(env)],
      containers: [nginxContainer(env), ...exporterSidecars(env, nginxExporterContainer)],
      volumes: [NGINX_CONFIG_VOLUME, NGINX_TOOL_VOLUME],
    }),
  });
}
