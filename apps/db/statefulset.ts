// PostgreSQL as a one-replica StatefulSet `database-orocommerce`, with its data on a claim from a volumeClaimTemplate.
import type { V1Container, V1PersistentVolumeClaim, V1Probe, V1StatefulSet } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { DB_PASSWORD_KEY, DB_ROOT_PASSWORD_KEY, DB_SECRET_NAME, secretEnv } from '../lib/secrets.ts';
import { restrictedContainer, runAsPod } from '../lib/security.ts';
import { DATABASE_NAME, databaseHeadlessService, databaseSelector, POSTGRES_PORT } from './service.ts';

/** uid/gid of `postgres` in the official alpine images Oro's `oroinc/pgsql:*-alpine` tags follow (`adduser -u 70`). */
export const POSTGRES_UID = 70;
/** Named so the claim is seed 000's `postgresql-data-database-orocommerce(-0)`. */
export const DATA_TEMPLATE = 'postgresql-data';
const DATA_PATH = '/var/lib/postgresql/data';
/** A subdirectory: initdb refuses a mount root that holds `lost+found`. */
export const PGDATA = `${DATA_PATH}/pgdata`;

/** `pg_isready` against the local server; user and database are known here, so no shell is needed. */
function pgIsReady(env: Environment, periodSeconds: number, failureThreshold: number): V1Probe {
  const command = ['pg_isready', '-h', '127.0.0.1', '-p', String(POSTGRES_PORT.containerPort), '-U', env.db.user, '-d', env.db.database];
  return { exec: { command }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/**
 * Resources keep the seed's 1Gi request / 2Gi limit. D-12 asks for limit = request on PostgreSQL (a
 * pod above its request is the first evicted under memory pressure); prod sets them equal.
 */
function postgresContainer(env: Environment): V1Container {
  const { requests, limits } = env.db.resources;
  return {
    name: 'postgresql',
    image: imageRef(env.db.image),
    ports: [POSTGRES_PORT],
    env: [
      { name: 'POSTGRES_DB', value: env.db.database },
      { name: 'POSTGRES_USER', value: env.db.user },
      secretEnv('POSTGRES_PASSWORD', DB_SECRET_NAME, DB_PASSWORD_KEY),
      // Oro's image reads this for the `postgres` superuser; the official image ignores it.
      secretEnv('POSTGRES_ROOT_PASSWORD', DB_SECRET_NAME, DB_ROOT_PASSWORD_KEY),
      { name: 'PGDATA', value: PGDATA },
    ],
    resources: { requests: { ...requests }, limits: { ...limits } },
    // initdb and crash recovery may take minutes before the first connection is accepted.
    startupProbe: pgIsReady(env, 10, 30),
    readinessProbe: pgIsReady(env, 10, 3),
    livenessProbe: pgIsReady(env, 20, 6),
    securityContext: restrictedContainer(),
    volumeMounts: [
      { name: DATA_TEMPLATE, mountPath: DATA_PATH },
      { name: 'run', mountPath: '/var/run/postgresql' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'shm', mountPath: '/dev/shm' },
    ],
  };
}

function dataClaimTemplate(env: Environment): V1PersistentVolumeClaim {
  const { size, accessMode, storageClassName } = env.db.storage;
  return {
    metadata: { name: DATA_TEMPLATE },
    spec: { accessModes: [accessMode], ...(storageClassName ? { storageClassName } : {}), resources: { requests: { storage: size } } },
  };
}

/**
 * The version label names PostgreSQL's version, not Oro's (the pipeline's default), so an Oro upgrade
 * does not restart the database. Claims are kept when the StatefulSet is deleted or scaled down.
 */
export function databaseStatefulSet(env: Environment): Manifest<V1StatefulSet> {
  const selector = databaseSelector(env);
  const labels = { ...selector, 'app.kubernetes.io/version': env.db.image.tag };
  return typed<V1StatefulSet>('apps/v1', 'StatefulSet', {
    metadata: { name: DATABASE_NAME, labels },
    spec: {
      serviceName: databaseHeadlessService(env).metadata.name,
      replicas: 1,
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: DATABASE_NAME,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: runAsPod(POSTGRES_UID, POSTGRES_UID),
          terminationGracePeriodSeconds: 60,
          containers: [postgresContainer(env)],
          volumes: [
            { name: 'run', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
            // The runtime's default 64Mi /dev/shm is too small for parallel queries.
            { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
          ],
        },
      },
      volumeClaimTemplates: [dataClaimTemplate(env)],
    },
  });
}
