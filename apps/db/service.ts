// The database's addresses: the client Service every Oro DSN points at, the headless Service of the StatefulSet, the server version.
import type { V1ContainerPort, V1Service } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { servicePortFor, typed } from '../lib/objects.ts';

/** Seed 000's name for the StatefulSet and its client Service. */
export const DATABASE_NAME = 'database-orocommerce';
export const POSTGRES_PORT = { name: 'postgresql', containerPort: 5432, protocol: 'TCP' } as const satisfies V1ContainerPort;

export function databaseSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'db', 'database');
}

function postgresService(env: Environment, name: string, headless: boolean): Manifest<V1Service> {
  const selector = databaseSelector(env);
  return typed<V1Service>('v1', 'Service', {
    metadata: { name, labels: { ...selector } },
    spec: {
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: true } : { type: 'ClusterIP' }),
      selector,
      ports: [servicePortFor(POSTGRES_PORT)],
    },
  });
}

/** `database-orocommerce:5432`, what ORO_DB_HOST/ORO_DB_DSN name. */
export function databaseService(env: Environment): Manifest<V1Service> {
  return postgresService(env, DATABASE_NAME, false);
}

/** The StatefulSet's governing Service: stable per-pod DNS, published before the pod is ready. */
export function databaseHeadlessService(env: Environment): Manifest<V1Service> {
  return postgresService(env, `${DATABASE_NAME}-headless`, true);
}

/**
 * Doctrine's `serverVersion` (major.minor) read from the image tag (`17.2-alpine` → `17.2`), so the DSN
 * can never disagree with the server that runs.
 */
export function postgresServerVersion(env: Environment): string {
  const version = /^(\d+(?:\.\d+)?)(?:[.-]|$)/.exec(env.db.image.tag)?.[1];
  if (version === undefined) {
    throw new Error(
      `environment "${env.name}": cannot read a PostgreSQL version from db.image.tag "${env.db.image.tag}"; use a tag that starts with it, such as 17.2-alpine`,
    );
  }
  return version;
}
