// Oro's global settings: the ConfigMap of resolved ORO_* values and the secret-backed env every Oro container adds to it.
import type { V1ConfigMap, V1EnvFromSource, V1EnvVar } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { FASTCGI_PORT, phpFpmService } from '../app/php-fpm-service.ts';
import { databaseService, POSTGRES_PORT, postgresServerVersion } from '../db/service.ts';
import { webService } from '../web/service.ts';
import { WEBSOCKET_PORT, websocketService } from '../websocket/service.ts';
import { serviceAddress, typed } from './objects.ts';
import { releaseName } from './releases.ts';
import { APP_SECRET_NAME, DB_PASSWORD_KEY, DB_SECRET_NAME, MAILER_PASSWORD_KEY, MAILER_USER_KEY, ORO_SECRET_KEY, secretEnv } from './secrets.ts';
import { MULTIHOST_PATH, SHARED_VOLUMES } from './volumes.ts';

export const ORO_CONFIG_NAME = 'orocommerce-config';

/** Folder of the OAuth2 server keys, on the private storage volume every PHP role mounts; install/restore create them. */
const OAUTH_KEYS_PATH = `${SHARED_VOLUMES['private-storage'].mountPath}/oauth`;

/** Each scheme's own port, which a URL leaves out (restore does the same when it builds oro_website.url). */
const SCHEME_PORTS = { http: 80, https: 443 } as const;

/**
 * Where browsers reach the shop: the scheme follows TLS, the port is `web.publicPort` or the scheme's own, and
 * the URL names the port only when it is not the scheme's (dev's port-forward: http://oro.localhost:8080).
 */
function publicSite(env: Environment): { protocol: keyof typeof SCHEME_PORTS; port: number; url: string } {
  const protocol = env.tls.enabled ? 'https' : 'http';
  const port = env.web.publicPort ?? SCHEME_PORTS[protocol];
  const shown = port === SCHEME_PORTS[protocol] ? '' : `:${port}`;
  return { protocol, port, url: `${protocol}://${env.domain}${shown}` };
}

function databaseSettings(env: Environment): Record<string, string> {
  const db = serviceAddress(databaseService(env), POSTGRES_PORT.name);
  return {
    ORO_DB_HOST: db.host,
    ORO_DB_PORT: String(db.port),
    ORO_DB_NAME: env.db.database,
    ORO_DB_USER: env.db.user,
    // restore loads the dump as this role: the image's POSTGRES_USER is a superuser, as in the demo.
    ORO_DB_ROOT_USER: env.db.user,
    ORO_DB_VERSION: postgresServerVersion(env),
  };
}

/** The Community Edition's backing services all live in PostgreSQL or the app volume (oro-compose §4 row 6). */
function serviceDsns(env: Environment): Record<string, string> {
  const mailer = env.app.mailer;
  return {
    ORO_MQ_DSN: 'dbal:',
    ORO_SESSION_DSN: 'native:',
    ORO_SEARCH_ENGINE_DSN: 'orm:?prefix=oro_search',
    ORO_WEBSITE_SEARCH_ENGINE_DSN: 'orm:?prefix=oro_website_search',
    // With credentials the DSN is composed in each container from the Secret (oroEnv).
    ...(mailer.host === undefined
      ? { ORO_MAILER_DSN: 'null://null' }
      : mailer.authenticated
        ? {}
        : { ORO_MAILER_DSN: `smtp://${mailer.host}:${mailer.port}` }),
  };
}

/**
 * PHP publishes to the real websocket Service; browsers come in through nginx's `/ws`, on the public port.
 * The server itself listens on every address of its pod.
 */
function websocketSettings(env: Environment): Record<string, string> {
  const backend = serviceAddress(websocketService(env), WEBSOCKET_PORT.name);
  return {
    ORO_WEBSOCKET_SERVER_DSN: `//0.0.0.0:${WEBSOCKET_PORT.containerPort}`,
    ORO_WEBSOCKET_BACKEND_HOST: backend.host,
    ORO_WEBSOCKET_BACKEND_PORT: String(backend.port),
    ORO_WEBSOCKET_BACKEND_DSN: `tcp://${backend.host}:${backend.port}`,
    ORO_WEBSOCKET_FRONTEND_DSN: `//*:${publicSite(env).port}/ws`,
  };
}

/** Compose's address helpers (ORO_PHP_FPM_*, ORO_WEB_HOST), read from the Services; nginx's own config is apps/web/nginx-conf.ts. */
function addressHelpers(env: Environment): Record<string, string> {
  const app = serviceAddress(phpFpmService(env), FASTCGI_PORT.name);
  return {
    ORO_PHP_FPM_HOST: app.host,
    ORO_PHP_FPM_PORT: String(app.port),
    ORO_WEB_HOST: webService(env).metadata.name,
  };
}

/** What install writes into the database, and what restore rewrites after loading the demo dump. */
function installSettings(env: Environment): Record<string, string> {
  const jobs = env['init-jobs'];
  const site = publicSite(env);
  return {
    ORO_APP_PROTOCOL: site.protocol,
    ORO_APP_DOMAIN: env.domain,
    ORO_APP_URL: site.url,
    // restore builds the URLs from the port of the scheme in use; the other keeps its default.
    ORO_NGINX_HTTP_PORT: String(site.protocol === 'http' ? site.port : SCHEME_PORTS.http),
    // Always set: restore appends a bare ":" to https URLs when it is missing (oro-compose §3.3 (c)).
    ORO_NGINX_HTTPS_PORT: String(site.protocol === 'https' ? site.port : SCHEME_PORTS.https),
    ORO_USER_NAME: jobs.admin.username,
    ORO_USER_EMAIL: jobs.admin.email,
    ORO_USER_FIRSTNAME: jobs.admin.firstName,
    ORO_USER_LASTNAME: jobs.admin.lastName,
    ORO_SAMPLE_DATA: jobs.sampleData ? 'y' : 'n',
    ORO_ORGANIZATION_NAME: jobs.organizationName,
    ORO_LANGUAGE: jobs.language,
    ORO_FORMATTING_CODE: jobs.formattingCode,
  };
}

function runtimeSettings(env: Environment): Record<string, string> {
  const maintenance = SHARED_VOLUMES.maintenance.mountPath;
  return {
    ORO_ENV: env.oro.env,
    // The image version is part of the config so an upgrade changes the init-jobs Application, which re-runs its hooks
    // (Argo CD does not compare hooks): the release covers a new digest under the same tag too.
    ORO_IMAGE: env.oro.image.repository,
    ORO_IMAGE_TAG: env.oro.image.tag,
    ORO_CODE_RELEASE: releaseName(env),
    ORO_USER_RUNTIME: 'www-data',
    ORO_LOG_PATH: 'php://stderr',
    ORO_MULTIHOST_OPERATION_FOLDER: MULTIHOST_PATH,
    ORO_MAINTENANCE_LOCK_FOLDER: maintenance,
    ORO_MAINTENANCE_LOCK_FILE_NAME: 'maintenance_lock',
    ORO_MAINTENANCE_LOCK_FILE_PATH: `${maintenance}/maintenance_lock`,
    // The OAuth2 server keys must outlive a release (lib/releases.ts): they move from var/ to the private storage volume.
    ORO_OAUTH_PRIVATE_KEY_PATH: `${OAUTH_KEYS_PATH}/oauth_private.key`,
    ORO_OAUTH_PUBLIC_KEY_PATH: `${OAUTH_KEYS_PATH}/oauth_public.key`,
    PHP_MEMORY_LIMIT: env.app.phpMemoryLimit,
  };
}

/**
 * The global ConfigMap of seed 000, every value resolved (Kubernetes does not expand Compose's `${…}`).
 * It is rendered by init-jobs, not app: the init jobs (wave 2) read it, and nothing may depend on a
 * later wave. The hosts it names belong to later waves, which is fine: a name is resolved when used.
 */
export function oroConfigMap(env: Environment): Manifest<V1ConfigMap> {
  return typed<V1ConfigMap>('v1', 'ConfigMap', {
    metadata: { name: ORO_CONFIG_NAME },
    data: {
      ...runtimeSettings(env),
      ...databaseSettings(env),
      ...serviceDsns(env),
      ...websocketSettings(env),
      ...addressHelpers(env),
      ...installSettings(env),
    },
  });
}

export function oroEnvFrom(): V1EnvFromSource[] {
  return [{ configMapRef: { name: ORO_CONFIG_NAME } }];
}

/**
 * DSNs that embed a password are composed in the container: Kubernetes expands `$(VAR)` from env
 * entries declared before it, so the password is read from the Secret and never written here. The
 * password must be URL-safe (nothing percent-encodes it).
 */
function databaseDsn(env: Environment): V1EnvVar[] {
  const db = serviceAddress(databaseService(env), POSTGRES_PORT.name);
  const query = `sslmode=disable&charset=utf8&serverVersion=${postgresServerVersion(env)}`;
  return [
    secretEnv('ORO_DB_PASSWORD', DB_SECRET_NAME, DB_PASSWORD_KEY),
    { name: 'ORO_DB_DSN', value: `postgres://${env.db.user}:$(ORO_DB_PASSWORD)@${db.host}:${db.port}/${env.db.database}?${query}` },
  ];
}

function mailerDsn(env: Environment): V1EnvVar[] {
  const { host, port, authenticated } = env.app.mailer;
  if (host === undefined || !authenticated) return [];
  return [
    secretEnv('ORO_MAILER_USER', APP_SECRET_NAME, MAILER_USER_KEY),
    secretEnv('ORO_MAILER_PASSWORD', APP_SECRET_NAME, MAILER_PASSWORD_KEY),
    { name: 'ORO_MAILER_DSN', value: `smtp://$(ORO_MAILER_USER):$(ORO_MAILER_PASSWORD)@${host}:${port}` },
  ];
}

/** The secret half of Oro's settings, for every container that runs Oro's PHP code. */
export function oroEnv(env: Environment): V1EnvVar[] {
  return [...databaseDsn(env), secretEnv('ORO_SECRET', APP_SECRET_NAME, ORO_SECRET_KEY), ...mailerDsn(env)];
}

