// Optional KEDA ScaledObject that scales the consumer Deployment on the depth of Oro's database message queue, with credentials from the secret store.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';
import { databaseSelector, databaseService, POSTGRES_PORT } from '../db/service.ts';
import { networkPolicy, podsIn, podsWith } from '../lib/network.ts';
import { serviceAddress, untyped } from '../lib/objects.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME } from '../lib/secrets.ts';
import { CONSUMER_NAME } from './consumer.ts';

export const SCALER_AUTH_NAME = `${CONSUMER_NAME}-queue`;

/**
 * Messages a consumer could take now: the same condition Oro's DBAL consumer claims a message with
 * (`consumer_id IS NULL AND (delayed_until IS NULL OR delayed_until <= :now)`, oroinc/platform 6.1.6,
 * src/Oro/Component/MessageQueue/Transport/Dbal/DbalMessageConsumer.php), on the table `oro_message_queue`
 * (Transport/Dbal/DbalSchema.php; delayed_until is a Unix time in seconds). Messages being processed
 * (consumer_id set) and messages delayed into the future are not counted.
 */
export const QUEUE_DEPTH_QUERY =
  'SELECT count(*) FROM oro_message_queue WHERE consumer_id IS NULL AND (delayed_until IS NULL OR delayed_until <= extract(epoch FROM now()))';

/**
 * KEDA's PostgreSQL scaler (kedacore/keda v2.20.2, pkg/scalers/postgresql_scaler.go: host, port, userName, dbName,
 * sslmode, query, targetQueryValue, activationTargetQueryValue; password from a TriggerAuthentication). The password
 * is the database Secret's, which the secret store fills; nothing secret is rendered.
 */
function scaledObject(env: Environment): KubernetesObject {
  const s = env.app.consumerAutoscaling;
  const { host, port } = serviceAddress(databaseService(env), POSTGRES_PORT.name);
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: CONSUMER_NAME },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: CONSUMER_NAME },
      minReplicaCount: s.minReplicas,
      maxReplicaCount: s.maxReplicas,
      pollingInterval: s.pollingInterval,
      cooldownPeriod: s.cooldownPeriod,
      // cooldownPeriod only governs scaling to zero; the HPA's own scale-down window takes the same value.
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: s.cooldownPeriod } } } },
      triggers: [
        {
          type: 'postgresql',
          metadata: {
            // The operator runs in its own namespace: the Service's cluster-wide name.
            host: `${host}.${env.destination.namespace}.svc`,
            port: String(port),
            userName: env.db.user,
            dbName: env.db.database,
            sslmode: 'disable',
            query: QUEUE_DEPTH_QUERY,
            targetQueryValue: String(s.messagesPerReplica),
          },
          authenticationRef: { name: SCALER_AUTH_NAME },
        },
      ],
    },
  };
}

function triggerAuthentication(): KubernetesObject {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: SCALER_AUTH_NAME },
    spec: { secretTargetRef: [{ parameter: 'password', name: DB_SECRET_NAME, key: DB_PASSWORD_KEY }] },
  };
}

/** The KEDA operator, in its own namespace, queries the database: the default deny would drop it. */
function operatorToDatabase(env: Environment): KubernetesObject {
  const { namespace, podLabels } = env.app.consumerAutoscaling.operator;
  return untyped(
    networkPolicy('allow-keda-to-database', podsWith(databaseSelector(env)), {
      ingress: [{ from: [podsIn(namespace, podLabels)], ports: [{ protocol: 'TCP', port: POSTGRES_PORT.containerPort }] }],
    }),
  );
}

/** The ScaledObject, its TriggerAuthentication and the database's admission of KEDA, or nothing when off. */
export function consumerScaler(env: Environment): KubernetesObject[] {
  if (!env.app.consumerAutoscaling.enabled) return [];
  return [scaledObject(env), triggerAuthentication(), operatorToDatabase(env)];
}

/** Under KEDA the HPA it creates owns `replicas`: the Deployment leaves the field out, so Argo CD never resets it. */
export function withScaledReplicas(env: Environment, deployment: Manifest<V1Deployment>): Manifest<V1Deployment> {
  if (!env.app.consumerAutoscaling.enabled || !deployment.spec) return deployment;
  const { replicas: _owned, ...spec } = deployment.spec;
  return { ...deployment, spec };
}
