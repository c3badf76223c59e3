// Names and keys of the Secrets Oro's workloads read; the values live in the secret store, never in git.
import type { V1EnvVar } from '@kubernetes/client-node';
import type { SecretRequirement } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { exposedThroughGateway, exposedThroughIngress } from '../web/settings.ts';
import { externalSecrets, type SecretKeySource } from './external-secret.ts';

/** Secret holding the PostgreSQL credentials; read by the database, the Oro pods and the postgres exporter. */
export const DB_SECRET_NAME = 'database-orocommerce-credentials';
/** Key of the password of the application role `env.db.user`. */
export const DB_PASSWORD_KEY = 'password';
/** Key of the password Oro's PostgreSQL image gives its `postgres` superuser (`POSTGRES_ROOT_PASSWORD`). */
export const DB_ROOT_PASSWORD_KEY = 'root-password';

/** Secret holding the application's own secrets. */
export const APP_SECRET_NAME = 'orocommerce-app-secrets';
/** `ORO_SECRET`, Symfony's kernel secret (CSRF tokens, signed URLs, encrypted settings). */
export const ORO_SECRET_KEY = 'oro-secret';
/** `ORO_USER_PASSWORD`, the back-office administrator's password set by install. */
export const ADMIN_PASSWORD_KEY = 'admin-password';
/** SMTP login, only read when `app.mailer.host` is set and `app.mailer.authenticated` is true. */
export const MAILER_USER_KEY = 'mailer-user';
export const MAILER_PASSWORD_KEY = 'mailer-password';

/** The keys of the TLS Secret `env.tls.secretName` (type kubernetes.io/tls). */
export const TLS_KEYS = ['tls.crt', 'tls.key'] as const;

/** The object storage of the off-cluster backups (apps/db/backup-offsite.ts): where and who, per environment. */
export const OFFSITE_SECRET_NAME = 'database-backup-offsite';
export const OFFSITE_KEYS = ['endpoint', 'region', 'bucket', 'prefix', 'access-key-id', 'secret-access-key'] as const;

/** An env var read from a Secret key. */
export function secretEnv(name: string, secret: string, key: string): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function dbKeys(): SecretKeySource[] {
  return [DB_PASSWORD_KEY, DB_ROOT_PASSWORD_KEY].map((key) => ({ secretKey: key, remote: 'database', property: key }));
}

function appKeys(env: Environment): SecretKeySource[] {
  const mailer = env.app.mailer.host && env.app.mailer.authenticated ? [MAILER_USER_KEY, MAILER_PASSWORD_KEY] : [];
  return [ORO_SECRET_KEY, ADMIN_PASSWORD_KEY, ...mailer].map((key) => ({ secretKey: key, remote: 'app', property: key }));
}

/** The database credentials, rendered with the database (wave 1), their first consumer. */
export function dbCredentials(env: Environment): KubernetesObject[] {
  return externalSecrets(env, { name: DB_SECRET_NAME, keys: dbKeys() });
}

/** The application secrets, rendered with the init jobs (wave 2): install reads the admin password and ORO_SECRET first. */
export function appSecrets(env: Environment): KubernetesObject[] {
  return externalSecrets(env, { name: APP_SECRET_NAME, keys: appKeys(env) });
}

/**
 * Whether anything reads the TLS Secret from this namespace: the Ingresses, or the platform's Gateway when its
 * certificate lives here (`web.gateway.certificate`); none without TLS or without a way in.
 */
function tlsSecretRead(env: Environment): boolean {
  if (!env.tls.enabled) return false;
  return exposedThroughIngress(env) || (exposedThroughGateway(env) && env.web.gateway.certificate !== 'gateway');
}

/** Whether this repository fetches that Secret from the secret store, rather than cert-manager or a person making it (the Ingress's setting wins with both). */
function tlsFromSecretStore(env: Environment): boolean {
  return exposedThroughIngress(env) ? env.web.ingress.tlsFromSecretStore : env.web.gateway.certificate === 'secret-store';
}

/** The certificate, rendered with the way in (wave 6) when this namespace holds it and the secret store provides it. */
export function tlsCertificate(env: Environment): KubernetesObject[] {
  if (!tlsSecretRead(env) || !tlsFromSecretStore(env)) return [];
  const keys = TLS_KEYS.map((key) => ({ secretKey: key, remote: 'tls', property: key }));
  return externalSecrets(env, { name: env.tls.secretName, keys, type: 'kubernetes.io/tls' });
}

/**
 * Every Secret the environment's pods, Ingress or Gateway read, with its keys: what an operator creates by
 * hand when `secrets.provider` is `preexisting`, or stores under `secrets.remotePrefix` otherwise.
 */
export function requiredSecrets(env: Environment): SecretRequirement[] {
  const tls = tlsSecretRead(env) ? [{ name: env.tls.secretName, keys: [...TLS_KEYS], remote: 'tls' }] : [];
  return [
    { name: DB_SECRET_NAME, keys: dbKeys().map((k) => k.secretKey), remote: 'database' },
    { name: APP_SECRET_NAME, keys: appKeys(env).map((k) => k.secretKey), remote: 'app' },
    ...(env.db.backup.enabled && env.db.backup.offsite.enabled ? [{ name: OFFSITE_SECRET_NAME, keys: [...OFFSITE_KEYS], remote: 'backup-offsite' }] : []),
    ...tls,
  ];
}
