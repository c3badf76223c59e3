// The nginx Deployment `webserver`: nginx on unprivileged 8080 with our rendered nginx.conf, in front of php-fpm and websocket.
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
import { NGINX_CONFIG_MOUNT, NGINX_CONFIG_VOLUME, NGINX_STATE_MOUNT, NGINX_STATE_VOLUME, nginxConfigChecksum } from './configmap.ts';
import { HEALTH_PATH, NGINX_CONF_PATH } from './nginx-conf.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webSelector } from './service.ts';

/** Seconds a stopping pod keeps serving while the Ingress controller drops its endpoint. */
const DRAIN_SECONDS = 5;

/**
 * QUIT is nginx's graceful stop (TERM is the fast one, D-14): after the drain, `nginx -s quit` through our
 * config's pid file (or QUIT to PID 1, which nginx is), then time for the requests in flight, which wait
 * on php-fpm at most as long as php-fpm's own longest request.
 */
function gracefulQuit(env: Environment): string {
  return [`sleep ${DRAIN_SECONDS}`, `nginx -c ${NGINX_CONF_PATH} -s quit 2>/dev/null || kill -QUIT 1`, `sleep ${env.app['php-fpm'].maxRequestSeconds}`].join('\n');
}

export function webGracePeriod(env: Environment): number {
  return DRAIN_SECONDS + env.app['php-fpm'].maxRequestSeconds + 10;
}

/**
 * nginx itself, started on our ConfigMap's nginx.conf (no entrypoint role, no config step at start). It reads
 * no ORO_* setting, so it gets none. Readiness is /healthz, which needs no PHP: a php-fpm or database outage,
 * or the maintenance lock, must not empty the Service, or users would get the proxy's bare error instead of
 * nginx's 502 or maintenance 503, and lose static files and media too. Liveness only checks that nginx accepts
 * connections, so neither a backend nor a storage outage restarts it.
 */
export function nginxContainer(env: Environment): V1Container {
  const { envFrom: _settings, env: _credentials, ...base } = oroContainer(env, {
    name: 'nginx',
    role: 'webserver',
    command: ['nginx', '-c', NGINX_CONF_PATH],
    resources: env.web.resources,
  });
  const health = { httpGet: { path: HEALTH_PATH, port: HTTP_PORT.name }, timeoutSeconds: 5 };
  return {
    ...base,
    ports: [HTTP_PORT],
    volumeMounts: [...(base.volumeMounts ?? []), NGINX_CONFIG_MOUNT, NGINX_STATE_MOUNT],
    startupProbe: { ...health, periodSeconds: 2, failureThreshold: 30 },
    readinessProbe: { ...health, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: HTTP_PORT.name }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    lifecycle: { preStop: { exec: { command: ['bash', '-c', gracefulQuit(env)] } } },
  };
}

/**
 * Seed 002: the webserver waits for the init jobs (lib/deployment.ts) and for php-fpm, whose Service name nginx
 * resolves at start. A change to nginx.conf changes the pod template's checksum annotation and rolls the pods.
 */
export function webDeployment(env: Environment): Manifest<V1Deployment> {
  const deployment = oroDeployment(env, {
    name: WEB_SERVICE_NAME,
    selector: webSelector(env),
    replicas: env.web.replicas,
    strategy: surgeRollout(),
    pod: oroPodSpec(env, {
      role: 'webserver',
      serviceAccountName: WEB_SERVICE_NAME,
      terminationGracePeriodSeconds: webGracePeriod(env),
      initContainers: [waitForService(env, 'php-fpm', serviceAddress(phpFpmService(env), FASTCGI_PORT.name))],
      containers: [nginxContainer(env), ...exporterSidecars(env, nginxExporterContainer)],
      volumes: [NGINX_CONFIG_VOLUME, NGINX_STATE_VOLUME],
    }),
  });
  const template = deployment.spec?.template;
  if (template?.metadata) template.metadata.annotations = { ...template.metadata.annotations, ...nginxConfigChecksum(env) };
  return deployment;
}
