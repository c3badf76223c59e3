// Hostile and mistaken environment files: each gets a clear error with file:line:column and the field.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { parseEnvironment } from './load.ts';
import { TEST_REPO_URL } from './testing.ts';

const FILE = 'environments/prod.yaml';
const SOURCE = `source:\n  repoURL: ${TEST_REPO_URL}\n`;

function errorOf(source: string, name = 'prod', files: Record<string, string> = {}): string {
  try {
    parseEnvironment(name, source, FILE, (f) => files[f]);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('parseEnvironment', () => {
  it('applies defaults and derives names from the file name', () => {
    const env = parseEnvironment('prod', `domain: shop.example.com\n${SOURCE}`, FILE);
    expect(env.name).toBe('prod');
    expect(env.destination.namespace).toBe('orocommerce-prod');
    expect(env.secrets.remotePrefix).toBe('orocommerce/prod');
    expect(env.app['php-fpm'].hpa).toEqual({ minReplicas: 2, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 });
  });

  it('keeps sibling defaults when one nested value is overridden', () => {
    const env = parseEnvironment('prod', `${SOURCE}domain: a.example.com\napp:\n  php-fpm:\n    resources:\n      limits:\n        memory: 2Gi\n`, FILE);
    expect(env.app['php-fpm'].resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } });
  });

  it.each([
    ['an unknown key', 'domain: a.b\nreplicaz: 3\n', `${FILE}:2:1 replicaz: unknown field "replicaz"`],
    ['a nested unknown key', 'domain: a.b\nweb:\n  replica: 3\n', `${FILE}:3:3 web.replica: unknown field "replica"`],
    ['a wrong type', 'domain: a.b\nweb:\n  replicas: "3"\n', `${FILE}:3:13 web.replicas: expected number, got string "3"`],
    ['a value outside an enum', 'domain: a.b\ninit-jobs:\n  mode: upgrade\n', `${FILE}:3:9 init-jobs.mode: expected one of "install", "restore", got string "upgrade"`],
    ['a missing required field', 'tls:\n  enabled: true\n', `${FILE}:1:1 domain: required: expected string`],
    ['a cross-field rule', 'domain: a.b\napp:\n  php-fpm:\n    hpa:\n      minReplicas: 5\n      maxReplicas: 2\n', `${FILE}:6:20 app.php-fpm.hpa.maxReplicas: maxReplicas must be ≥ minReplicas`],
    ['a duplicate key', 'domain: a.b\ndomain: c.d\n', `${FILE}:2:1: Map keys must be unique`],
    ['a YAML 1.1 boolean', 'domain: a.b\ntls:\n  enabled: yes\n', `${FILE}:3:12: Value may be parsed as either !!str or !!bool: quote it`],
    ['a %YAML directive', '%YAML 1.1\n---\ndomain: a.b\n', `${FILE}:1:1: remove the \`%YAML\` directive`],
    ['a merge key', 'domain: a.b\nweb:\n  <<: {replicas: 3}\n', `${FILE}:3:3: Value may be parsed as either !!str or !!merge`],
    ['a __proto__ key', 'domain: a.b\n__proto__:\n  runAsNonRoot: false\n', `${FILE}:2:1: the key \`__proto__\` is not allowed`],
    ['a constructor key', 'domain: a.b\nweb:\n  constructor: 1\n', `${FILE}:3:3: the key \`constructor\` is not allowed`],
    ['an octal-looking number', 'domain: a.b\nweb:\n  replicas: 010\n', `${FILE}:3:13: \`010\` has a leading zero`],
    ['an unsafe integer', 'domain: a.b\nweb:\n  replicas: 12345678901234567890\n', `${FILE}:3:13: \`12345678901234567890\` is too large`],
    ['an unknown tag', 'domain: !!js/function a.b\n', `${FILE}:1:9: Unresolved tag`],
    ['two documents', 'domain: a.b\n---\ndomain: c.d\n', `${FILE}:2:1: only one YAML document is allowed`],
    ['an empty file', '', `${FILE}:1:1: the file is empty`],
    ['a latest tag', 'domain: a.b\noro:\n  image:\n    tag: latest\n', `${FILE}:4:10 oro.image.tag: a pinned tag`],
    ['a patch without a body', 'domain: a.b\npatches:\n  - target: {kind: Deployment, name: webserver}\n', `${FILE}:3:5 patches[0]: does not match any allowed form`],
  ])('refuses %s', (_, source, expected) => {
    expect(errorOf(source)).toContain(expected);
  });

  it('refuses an alias bomb quickly and names the file', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const started = Date.now();
    expect(errorOf(`domain: a.b\n${lines.join('\n')}\n`)).toContain(`${FILE}:`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each(['../etc', 'Prod', 'a_b', 'prod/../x', '', `a${'b'.repeat(51)}`])('refuses the environment name %j', (name) => {
    expect(errorOf('domain: a.b\n', name)).toContain('is not a valid environment name');
  });

  it('leaves Object.prototype alone', () => {
    expect(() => parseEnvironment('prod', 'domain: a.b\n__proto__:\n  polluted: true\n', FILE)).toThrow(InputError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
