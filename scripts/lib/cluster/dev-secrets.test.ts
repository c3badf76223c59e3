// The Secrets dev-secrets creates: exactly the rendered requirements, never an existing one, values never made up for TLS.
import { describe, expect, it } from 'vitest';
import { requiredSecrets } from '../../../apps/index.ts';
import { testEnvironment } from '../environment/testing.ts';
import { planSecrets, secretObject, secretValue } from './dev-secrets.ts';

describe('planSecrets', () => {
  const required = [
    { name: 'db', keys: ['password', 'root-password'] },
    { name: 'app', keys: ['oro-secret', 'admin-password'] },
    { name: 'tls', keys: ['tls.crt', 'tls.key'] },
  ];

  it('creates what is missing, leaves what exists, and skips TLS', () => {
    expect(planSecrets(required, new Map([['app', ['oro-secret', 'admin-password']]]))).toEqual([
      { name: 'db', keys: ['password', 'root-password'], action: 'create' },
      { name: 'app', keys: ['oro-secret', 'admin-password'], action: 'exists' },
      { name: 'tls', keys: ['tls.crt', 'tls.key'], action: 'skip', note: 'a TLS Secret needs your certificate: kubectl create secret tls' },
    ]);
  });

  it('reports the keys an existing Secret lacks instead of changing it', () => {
    expect(planSecrets([required[0]!], new Map([['db', ['password']]]))[0]).toEqual({
      name: 'db',
      keys: ['password', 'root-password'],
      action: 'exists',
      note: 'lacks root-password: delete it to have it recreated, or add the keys yourself',
    });
  });
});

describe('secret values', () => {
  it('are 192 random bits as hex (URL-safe for DSNs), user names admin', () => {
    expect(secretValue('password')).toMatch(/^[0-9a-f]{48}$/);
    expect(secretValue('password')).not.toBe(secretValue('password'));
    expect(secretValue('admin-user')).toBe('admin');
  });

  it('fill every key of the dev requirements, the same list rendered/README.md prints', () => {
    const env = testEnvironment('dev', { secrets: { provider: 'preexisting' } } as never);
    for (const r of requiredSecrets(env).filter((x) => !x.keys.includes('tls.crt'))) {
      const s = secretObject('ns', { name: r.name, keys: r.keys, action: 'create' }) as unknown as { stringData: Record<string, string>; metadata: { namespace: string } };
      expect(Object.keys(s.stringData)).toEqual(r.keys);
      expect(s.metadata.namespace).toBe('ns');
    }
  });
});
