// The PostgreSQL exporter: a Deployment beside the database, logging in as the application role.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { databaseService, POSTGRES_PORT } from '../db/service.ts';
import { serviceAddress, untyped } from '../lib/objects.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { serviceAccount } from '../lib/security.ts';
import { exporterContainer, exporterSecurityContext, METRICS_PORT_NAME, POSTGRES_EXPORTER_PORT } from './exporters.ts';

export const POSTGRES_EXPORTER = 'postgres-exporter';

function exporterSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'monitoring', POSTGRES_EXPORTER);
}

/**
 * `host:port/db?sslmode=disable`, read from the db component's Service so a rename follows. In-cluster
 * traffic to oroinc/pgsql, which serves no TLS; the user and password come separately, never in the URI.
 */
export function dataSourceUri(env: Environment): string {
  const { host, port } = serviceAddress(databaseService(env), POSTGRES_PORT.name);
  return `${host}:${port}/${env.db.database}?sslmode=disable`;
}

function deployment(env: Environment): KubernetesObject {
  const selector = exporterSelector(env);
  const { runAsUser, runAsGroup } = exporterSecurityContext();
  const container = exporterContainer(env, {
    name: POSTGRES_EXPORTER,
    image: env.monitoring.exporters.postgres,
    port: POSTGRES_EXPORTER_PORT,
    args: [`--web.listen-address=:${POSTGRES_EXPORTER_PORT}`],
    env: [
      { name: 'DATA_SOURCE_URI', value: dataSourceUri(env) },
      { name: 'DATA_SOURCE_USER', value: env.db.user },
      secretEnv('DATA_SOURCE_PASS', DB_SECRET_NAME, DB_PASSWORD_KEY),
    ],
  });
  return manifest<V1Deployment>('apps/v1', 'Deployment', {
    metadata: { name: POSTGRES_EXPORTER, labels: { ...selector } },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector } },
        spec: {
          serviceAccountName: POSTGRES_EXPORTER,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser, runAsGroup, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container],
        },
      },
    },
  });
}

function service(env: Environment): KubernetesObject {
  const selector = exporterSelector(env);
  return manifest<V1Service>('v1', 'Service', {
    metadata: { name: POSTGRES_EXPORTER, labels: { ...selector } },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: METRICS_PORT_NAME, port: POSTGRES_EXPORTER_PORT, targetPort: METRICS_PORT_NAME, protocol: 'TCP' }],
    },
  });
}

/** ServiceAccount (no token), Deployment and the Service its ServiceMonitor selects. */
export function postgresExporter(env: Environment): KubernetesObject[] {
  return [untyped(serviceAccount(POSTGRES_EXPORTER, exporterSelector(env))), deployment(env), service(env)];
}
