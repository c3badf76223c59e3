// The php-fpm Deployment `orocommerce-app`: Oro's application server, FastCGI on 9000, scaled by its HPA.
import type { V1Container, V1Deployment, V1Probe } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { surgeRollout } from '../lib/availability.ts';
import { oroDeployment } from '../lib/deployment.ts';
import { exporterSidecars } from '../lib/monitoring.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { phpFpmExporterContainer } from '../monitoring/exporters.ts';
import { FASTCGI_PORT, phpFpmSelector } from './php-fpm-service.ts';

/** Seed 000's Deployment name; also its ServiceAccount, HPA and PDB. */
export const PHP_FPM_NAME = 'orocommerce-app';
/** Seconds a stopping pod keeps serving while its endpoint leaves the Service and nginx stops sending to it. */
const DRAIN_SECONDS = 5;
const STARTUP_PERIOD_SECONDS = 5;

/** The check Compose runs: FPM's status page over FastCGI (it fails while FPM cannot serve). */
function healthcheck(periodSeconds: number, failureThreshold: number): V1Probe {
  return { exec: { command: ['php-fpm-healthcheck'] }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/**
 * php-fpm treats SIGTERM as "stop now" and SIGQUIT as "finish the requests in flight" (D-14). The
 * hook waits for the endpoint to drain, sends QUIT to the master (its pid file, or PID 1 when the
 * entrypoint execs php-fpm) and waits for it up to the longest request; the SIGTERM that follows the
 * hook then finds nothing left to cut.
 */
function gracefulQuit(env: Environment): string {
  const maxRequest = env.app['php-fpm'].maxRequestSeconds;
  return [
    `sleep ${DRAIN_SECONDS}`,
    'pid=$(cat /run/php-fpm/php-fpm.pid 2>/dev/null || echo 1)',
    'kill -QUIT "$pid" 2>/dev/null || true',
    `for _ in $(seq ${maxRequest}); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done`,
  ].join('\n');
}

/** The grace period starts before the hook runs, so it covers the drain, the longest request and a margin. */
export function phpFpmGracePeriod(env: Environment): number {
  return DRAIN_SECONDS + env.app['php-fpm'].maxRequestSeconds + 10;
}

export function phpFpmContainer(env: Environment): V1Container {
  const settings = env.app['php-fpm'];
  return {
    ...oroContainer(env, { name: 'php-fpm', role: 'php-fpm', args: ['php-fpm'], resources: settings.resources }),
    ports: [FASTCGI_PORT],
    startupProbe: healthcheck(STARTUP_PERIOD_SECONDS, Math.ceil(settings.startupSeconds / STARTUP_PERIOD_SECONDS)),
    readinessProbe: healthcheck(10, 3),
    // Liveness stays a plain TCP connect: a busy pool must not get the pod restarted.
    livenessProbe: { tcpSocket: { port: FASTCGI_PORT.name }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
    lifecycle: { preStop: { exec: { command: ['bash', '-c', gracefulQuit(env)] } } },
  };
}

/** No `replicas`: the HPA owns the count. oroDeployment holds new pods until the init jobs of their image completed. */
export function phpFpmDeployment(env: Environment): Manifest<V1Deployment> {
  return oroDeployment(env, {
    name: PHP_FPM_NAME,
    selector: phpFpmSelector(env),
    strategy: surgeRollout(),
    pod: oroPodSpec(env, {
      role: 'php-fpm',
      serviceAccountName: PHP_FPM_NAME,
      terminationGracePeriodSeconds: phpFpmGracePeriod(env),
      containers: [phpFpmContainer(env), ...exporterSidecars(env, phpFpmExporterContainer)],
    }),
  });
}
