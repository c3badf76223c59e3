// Prometheus exporter containers: php-fpm and nginx sidecars, and the PostgreSQL exporter's container.
import type { V1Container, V1EnvVar, V1Probe, V1SecurityContext } from '@kubernetes/client-node';
import { imageRef, type Image } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';

/** Container and Service port name every ServiceMonitor of this component scrapes. */
export const METRICS_PORT_NAME = 'metrics';

/** The exporters' own default listen ports, kept so their documentation still applies. */
export const PHP_FPM_EXPORTER_PORT = 9253;
export const NGINX_EXPORTER_PORT = 9113;
export const POSTGRES_EXPORTER_PORT = 9187;

/**
 * FPM status page, reached over FastCGI on the pod's loopback (the sidecar shares php-fpm's network
 * namespace). Oro's `php-fpm-healthcheck` needs `pm.status_path` enabled; `/status` is that script's
 * default, but Oro's pool config is not public, so the path is UNVERIFIED against the real image.
 */
export const PHP_FPM_STATUS_URI = 'tcp://127.0.0.1:9000/status';

/**
 * nginx `stub_status` endpoint the exporter reads: a server of its own in the webserver's rendered nginx.conf
 * (apps/web/nginx-conf.ts), loopback only, on a port apart from the shop's 8080, so the status page can never
 * be reached through the Service or the Ingress.
 */
export const NGINX_STUB_STATUS_PORT = 8081;
export const NGINX_STUB_STATUS_PATH = '/stub_status';
export const NGINX_STUB_STATUS_URI = `http://127.0.0.1:${NGINX_STUB_STATUS_PORT}${NGINX_STUB_STATUS_PATH}`;

/** `nobody`: the exporters are static binaries that need no user of their own, only a non-root uid. */
const EXPORTER_UID = 65534;

/** Pod Security "restricted" for a process that writes nothing and needs no privilege. */
export function exporterSecurityContext(): V1SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: EXPORTER_UID,
    runAsGroup: EXPORTER_UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The exporter's static landing page (all three serve one at `/`), not /metrics: a scrape queries
 * FPM, nginx or PostgreSQL, and FPM answers its status page from a worker, so a saturated pool would
 * fail the sidecar's readiness and take the whole php-fpm pod out of its Service exactly under load.
 */
function exporterProbe(): V1Probe {
  return {
    httpGet: { path: '/', port: METRICS_PORT_NAME },
    periodSeconds: 30,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
}

/** A small exporter container: pinned image, one `metrics` port, probes, resources and a locked-down context. */
export function exporterContainer(
  env: Environment,
  spec: { name: string; image: Image; port: number; args?: string[]; env?: V1EnvVar[] },
): V1Container {
  const { requests, limits } = env.monitoring.exporters.resources;
  return {
    name: spec.name,
    image: imageRef(spec.image),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ports: [{ name: METRICS_PORT_NAME, containerPort: spec.port, protocol: 'TCP' }],
    resources: { requests: { ...requests }, limits: { ...limits } },
    readinessProbe: exporterProbe(),
    livenessProbe: exporterProbe(),
    securityContext: exporterSecurityContext(),
  };
}

/** Sidecar for the php-fpm pod: reads the FPM status page over FastCGI on 127.0.0.1:9000 (the image's entrypoint already runs `server`). */
export function phpFpmExporterContainer(env: Environment): V1Container {
  return exporterContainer(env, {
    name: 'php-fpm-exporter',
    image: env.monitoring.exporters.phpFpm,
    port: PHP_FPM_EXPORTER_PORT,
    args: [`--web.listen-address=:${PHP_FPM_EXPORTER_PORT}`, `--phpfpm.scrape-uri=${PHP_FPM_STATUS_URI}`],
  });
}

/** Sidecar for the webserver pod: reads nginx's stub_status on the pod's loopback. */
export function nginxExporterContainer(env: Environment): V1Container {
  return exporterContainer(env, {
    name: 'nginx-exporter',
    image: env.monitoring.exporters.nginx,
    port: NGINX_EXPORTER_PORT,
    args: [`--web.listen-address=:${NGINX_EXPORTER_PORT}`, `--nginx.scrape-uri=${NGINX_STUB_STATUS_URI}`],
  });
}
