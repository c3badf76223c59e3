// Oro's settings: every address read back from the rendered Services, secrets only through references.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { phpFpmService } from '../app/php-fpm-service.ts';
import { databaseService } from '../db/service.ts';
import { webService } from '../web/service.ts';
import { websocketService } from '../websocket/service.ts';
import { oroConfigMap, oroEnv } from './config.ts';
import { servicePort } from './objects.ts';
import { devEnvironment, prodEnvironment } from './testing.ts';

const data = (env = testEnvironment()) => oroConfigMap(env).data ?? {};

describe('the Oro ConfigMap', () => {
  const env = testEnvironment();

  it('points at the database Service', () => {
    const db = databaseService(env);
    expect(data()).toMatchObject({ ORO_DB_HOST: db.metadata.name, ORO_DB_PORT: String(servicePort(db, 'postgresql')), ORO_DB_NAME: 'orodb', ORO_DB_USER: 'orodbuser' });
  });

  it('keeps the Community Edition backends in PostgreSQL and the app volume', () => {
    expect(data()).toMatchObject({
      ORO_MQ_DSN: 'dbal:',
      ORO_SESSION_DSN: 'native:',
      ORO_SEARCH_ENGINE_DSN: 'orm:?prefix=oro_search',
      ORO_WEBSITE_SEARCH_ENGINE_DSN: 'orm:?prefix=oro_website_search',
    });
  });

  it('derives the websocket DSNs from the websocket Service, and the browser side from the public port', () => {
    const ws = websocketService(env);
    expect(data()).toMatchObject({
      ORO_WEBSOCKET_SERVER_DSN: '//0.0.0.0:8080',
      ORO_WEBSOCKET_BACKEND_DSN: `tcp://${ws.metadata.name}:${servicePort(ws, 'websocket')}`,
      ORO_WEBSOCKET_FRONTEND_DSN: '//*:443/ws',
    });
    expect(data(testEnvironment('staging', { tls: { enabled: false } })).ORO_WEBSOCKET_FRONTEND_DSN).toBe('//*:80/ws');
    expect(data(devEnvironment()).ORO_WEBSOCKET_FRONTEND_DSN).toBe('//*:8080/ws');
  });

  it("names php-fpm and the webserver as their Services do (Compose's address helpers)", () => {
    expect(data()).toMatchObject({
      ORO_PHP_FPM_HOST: phpFpmService(env).metadata.name,
      ORO_PHP_FPM_PORT: String(servicePort(phpFpmService(env), 'fastcgi')),
      ORO_WEB_HOST: webService(env).metadata.name,
    });
  });

  it("carries none of nginx-init's inputs: nginx's config is rendered by apps/web", () => {
    expect(Object.keys(data()).filter((k) => /^ORO_(SITES|HTTP_UPSTREAM|SERVER_LOCATION|GLOBAL_)/.test(k))).toEqual([]);
  });

  it('builds the public URL and ports from TLS, the domain and the public port, naming the port only when it is not the default', () => {
    expect(data()).toMatchObject({ ORO_APP_URL: 'https://test.shop.example.com', ORO_APP_PROTOCOL: 'https', ORO_NGINX_HTTP_PORT: '80', ORO_NGINX_HTTPS_PORT: '443' });
    const plain = testEnvironment('staging', { domain: 'oro.localhost', tls: { enabled: false } });
    expect(data(plain)).toMatchObject({ ORO_APP_URL: 'http://oro.localhost', ORO_APP_PROTOCOL: 'http', ORO_NGINX_HTTP_PORT: '80' });
    expect(data(devEnvironment())).toMatchObject({ ORO_APP_URL: 'http://oro.localhost:8080', ORO_APP_PROTOCOL: 'http', ORO_NGINX_HTTP_PORT: '8080', ORO_NGINX_HTTPS_PORT: '443' });
    const tls = testEnvironment('prod', { web: { publicPort: 8443 } });
    expect(data(tls)).toMatchObject({ ORO_APP_URL: 'https://prod.shop.example.com:8443', ORO_NGINX_HTTP_PORT: '80', ORO_NGINX_HTTPS_PORT: '8443', ORO_WEBSOCKET_FRONTEND_DSN: '//*:8443/ws' });
    expect(data(testEnvironment('prod', { web: { publicPort: 443 } })).ORO_APP_URL).toBe('https://prod.shop.example.com');
  });

  it('keeps the OAuth2 keys on the private storage volume, outside every release', () => {
    expect(data()).toMatchObject({
      ORO_OAUTH_PRIVATE_KEY_PATH: '/var/www/oro/var/data/oauth/oauth_private.key',
      ORO_OAUTH_PUBLIC_KEY_PATH: '/var/www/oro/var/data/oauth/oauth_public.key',
    });
  });

  it('changes with the release, a new digest of the same tag included, so the init jobs run again', () => {
    const digest = testEnvironment('test', { oro: { image: { digest: `sha256:${'c'.repeat(64)}` } } });
    expect(data().ORO_CODE_RELEASE).toBe('6.1.6');
    expect(data(digest).ORO_CODE_RELEASE).toBe(`6.1.6-sha256-${'c'.repeat(64)}`);
  });

  it('points the maintenance lock and multihost folder at their volumes', () => {
    expect(data()).toMatchObject({
      ORO_MAINTENANCE_LOCK_FILE_PATH: '/var/www/oro/var/maintenance/maintenance_lock',
      ORO_MULTIHOST_OPERATION_FOLDER: '/var/www/oro/var/multihost',
      ORO_LOG_PATH: 'php://stderr',
    });
  });

  it('discards mail by default, uses the relay without credentials when told so', () => {
    expect(data().ORO_MAILER_DSN).toBe('null://null');
    const open = testEnvironment('prod', { app: { mailer: { host: 'relay.internal.example.com', port: 25, authenticated: false } } });
    expect(data(open).ORO_MAILER_DSN).toBe('smtp://relay.internal.example.com:25');
    expect(data(prodEnvironment()).ORO_MAILER_DSN).toBeUndefined();
  });

  it('carries the install settings and the image version', () => {
    const env = testEnvironment('prod', { 'init-jobs': { sampleData: true, admin: { username: 'boss' } } });
    expect(data(env)).toMatchObject({ ORO_SAMPLE_DATA: 'y', ORO_USER_NAME: 'boss', ORO_IMAGE: 'oroinc/orocommerce-application', ORO_IMAGE_TAG: '6.1.6' });
  });

  it('holds no password, secret or DSN with credentials', () => {
    for (const [key, value] of Object.entries(data(prodEnvironment()))) {
      expect(key).not.toMatch(/PASSWORD|SECRET|ORO_DB_DSN/);
      expect(value).not.toMatch(/:\/\/[^/@\s]+:[^/@\s]+@/);
    }
  });
});

describe('the secret-backed env', () => {
  it('composes ORO_DB_DSN in the container from the password declared just before it', () => {
    const env = oroEnv(testEnvironment());
    const password = env.findIndex((e) => e.name === 'ORO_DB_PASSWORD');
    const dsn = env.findIndex((e) => e.name === 'ORO_DB_DSN');
    expect(password).toBeGreaterThanOrEqual(0);
    expect(dsn).toBeGreaterThan(password);
    expect(env[dsn]?.value).toBe('postgres://orodbuser:$(ORO_DB_PASSWORD)@database-orocommerce:5432/orodb?sslmode=disable&charset=utf8&serverVersion=17.2');
  });

  it("follows the database image's version in serverVersion", () => {
    const env = oroEnv(testEnvironment('prod', { db: { image: { tag: '17.4-alpine' } } }));
    expect(env.find((e) => e.name === 'ORO_DB_DSN')?.value).toMatch(/serverVersion=17\.4$/);
  });

  it('reads ORO_SECRET from the app Secret', () => {
    expect(oroEnv(testEnvironment()).find((e) => e.name === 'ORO_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'orocommerce-app-secrets', key: 'oro-secret' });
  });

  it('composes an authenticated mailer DSN from the Secret', () => {
    const env = oroEnv(prodEnvironment());
    expect(env.map((e) => e.name)).toEqual(['ORO_DB_PASSWORD', 'ORO_DB_DSN', 'ORO_SECRET', 'ORO_MAILER_USER', 'ORO_MAILER_PASSWORD', 'ORO_MAILER_DSN']);
    expect(env.at(-1)?.value).toBe('smtp://$(ORO_MAILER_USER):$(ORO_MAILER_PASSWORD)@smtp.example.com:587');
  });
});
