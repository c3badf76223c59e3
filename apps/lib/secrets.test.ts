// Secret names and keys, the ExternalSecrets built from them, and the list an operator creates by hand.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
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
      { name: 'orocommerce-tls', keys: ['tls.crt', 'tls.key'], remote: 'tls' },
    ]);
  });

  it('need no TLS Secret without an Ingress, which alone reads it', () => {
    const env = testEnvironment('prod', { web: { ingress: { enabled: false } } });
    expect(requiredSecrets(env).map((s) => s.name)).toEqual(['database-orocommerce-credentials', 'orocommerce-app-secrets']);
  });

  it('describe exactly the remote secrets and keys the rendered ExternalSecrets read', () => {
    const env = testEnvironment('prod');
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
