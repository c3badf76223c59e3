// Secret names and keys, the ExternalSecrets built from them, and the list an operator creates by hand.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { EnvironmentFile } from '../../scripts/lib/environment/schema.ts';
import { COMPONENTS, requiredSecrets as requiredSecretsOfRegistry } from '../index.ts';
import { externalSecrets } from './external-secret.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME, requiredSecrets } from './secrets.ts';
import { devEnvironment, prodEnvironment } from './testing.ts';

describe('secrets', () => {
  it('name the database Secret and password key the postgres exporter reads', () => {
    expect(DB_SECRET_NAME).toBe('database-orocommerce-credentials');
    expect(DB_PASSWORD_KEY).toBe('password');
  });

  it('list every Secret and key an environment needs, TLS only with TLS', () => {
    expect(requiredSecrets(devEnvironment())).toEqual([
      { name: 'database-orocommerce-credentials', keys: ['password', 'root-password'], remote: 'database' },
      { name: 'orocommerce-app-secrets', keys: ['oro-secret', 'admin-password'], remote: 'app' },
    ]);
    expect(requiredSecrets(prodEnvironment())).toEqual([
      { name: 'database-orocommerce-credentials', keys: ['password', 'root-password'], remote: 'database' },
      { name: 'orocommerce-app-secrets', keys: ['oro-secret', 'admin-password', 'mailer-user', 'mailer-password'], remote: 'app' },
    ]);
  });

  it('need the TLS Secret only where this namespace holds the certificate: an Ingress, or a Gateway reading it from here', () => {
    const tlsNeeded = (web: EnvironmentFile['web'], tls = {}) =>
      requiredSecrets(testEnvironment('prod', { web, tls })).some((s) => s.name === 'orocommerce-tls' && s.keys.join() === 'tls.crt,tls.key');
    expect(tlsNeeded({ exposure: 'ingress' })).toBe(true);
    expect(tlsNeeded({ exposure: 'gateway-api' })).toBe(false);
    expect(tlsNeeded({ exposure: 'gateway-api', gateway: { certificate: 'secret-store' } })).toBe(true);
    expect(tlsNeeded({ exposure: 'gateway-api', gateway: { certificate: 'namespace' } })).toBe(true);
    expect(tlsNeeded({ exposure: 'gateway-api', gateway: { certificate: 'namespace' } }, { enabled: false })).toBe(false);
    expect(tlsNeeded({ exposure: 'none' })).toBe(false);
  });

  it('describe exactly the remote secrets and keys the rendered ExternalSecrets read', () => {
    const env = testEnvironment('prod', { web: { exposure: 'gateway-api', gateway: { certificate: 'secret-store' } } });
    const rendered = COMPONENTS.flatMap((c) => c.render(env)).filter((o) => o.kind === 'ExternalSecret');
    const fromObjects = rendered
      .map((o) => {
        const spec = o.spec as { target: { name: string }; data: { secretKey: string; remoteRef: { key: string } }[] };
        return { name: spec.target.name, keys: spec.data.map((d) => d.secretKey), remote: spec.data[0]!.remoteRef.key.replace('orocommerce/prod/', '') };
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const declared = requiredSecretsOfRegistry(env).sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(declared).toEqual(fromObjects);
  });

  it('read from the configured store, under the configured prefix, at the configured interval', () => {
    const env = testEnvironment('prod', { secrets: { store: { kind: 'SecretStore', name: 'vault' }, remotePrefix: 'shops/eu', refreshInterval: '15m' } });
    const [external] = externalSecrets(env, { name: 'x', keys: [{ secretKey: 'k', remote: 'app', property: 'k' }] });
    expect(external?.apiVersion).toBe('external-secrets.io/v1');
    expect(external?.spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { kind: 'SecretStore', name: 'vault' },
      target: { name: 'x', creationPolicy: 'Owner' },
      data: [{ secretKey: 'k', remoteRef: { key: 'shops/eu/app', property: 'k' } }],
    });
  });

  it('render nothing when the Secrets are created out of band', () => {
    expect(externalSecrets(devEnvironment(), { name: 'x', keys: [] })).toEqual([]);
  });
});
