// Schema layer tests: pass/ fixtures are clean, fail/ fixtures report exactly their `# expect:` lines, and update-schemas' transforms are strict.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BUILTIN_KINDS,
  CRD_KINDS,
  buildCrdSchemas,
  buildKubernetesSchemas,
  crdVersionSchema,
  reachableDefinitions,
  strictify,
  toJson,
  trimSchema,
  unsupportedConstructs,
  type Schema,
} from '../../update-schemas.ts';
import {
  OBJECT_META_REF,
  SCHEMA_ROOT,
  closest,
  formatPath,
  goRegExp,
  kindKey,
  loadSchemaSet,
  validateSchemas,
  type CrdIndex,
  type KubernetesIndex,
} from './schema.ts';
import { sortFindings, type RenderedDoc } from './types.ts';

const K8S = '1.33';
const FIXTURES = fileURLToPath(new URL('./fixtures/schema/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function fixtureNames(folder: 'pass' | 'fail'): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

function loadFixture(folder: 'pass' | 'fail', name: string): { doc: RenderedDoc; text: string } {
  const path = join(FIXTURES, folder, name);
  const text = readFileSync(path, 'utf8');
  return { doc: { file: relative(REPO_ROOT, path), env: '', component: '', object: parse(text) }, text };
}

/** `# expect: <rule> <path>` lines, sorted like findings. */
function expectations(text: string): { rule: string; path: string }[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+)$/gm)].map((m) => ({ rule: m[1]!, path: m[2]! })).sort(byPathThenRule);
}

function byPathThenRule(a: { rule: string; path: string }, b: { rule: string; path: string }): number {
  return a.path === b.path ? (a.rule < b.rule ? -1 : 1) : a.path < b.path ? -1 : 1;
}

function findingsOf(folder: 'pass' | 'fail', name: string) {
  return validateSchemas([loadFixture(folder, name).doc], K8S);
}

function messageOf(name: string, path: string): string | undefined {
  return findingsOf('fail', name).find((f) => f.path === path)?.message;
}

describe('validateSchemas: passing fixtures', () => {
  it.each(fixtureNames('pass'))('%s has no findings', (name) => {
    expect(findingsOf('pass', name)).toEqual([]);
  });

  it('covers every vendored kind with a passing fixture', () => {
    const kinds = fixtureNames('pass').map((name) => {
      const { object } = loadFixture('pass', name).doc;
      return kindKey(object.apiVersion, object.kind);
    });
    expect([...new Set(kinds)].sort()).toEqual(loadSchemaSet(K8S).kinds);
  });
});

describe('validateSchemas: failing fixtures', () => {
  it('has at least 15 failing fixtures', () => {
    expect(fixtureNames('fail').length).toBeGreaterThanOrEqual(15);
  });

  it.each(fixtureNames('fail'))('%s reports exactly its # expect lines', (name) => {
    const { text } = loadFixture('fail', name);
    const expected = expectations(text);
    expect(expected.length).toBeGreaterThan(0);
    expect(findingsOf('fail', name).map(({ rule, path }) => ({ rule, path })).sort(byPathThenRule)).toEqual(expected);
  });

  it('suggests the closest allowed field name', () => {
    expect(messageOf('deployment-replica-typo.yaml', 'spec.replica')).toBe('unknown field `replica` (did you mean `replicas`?)');
    expect(messageOf('application-syncpolicy-automatic.yaml', 'spec.syncPolicy.automatic')).toBe('unknown field `automatic` (did you mean `automated`?)');
    expect(messageOf('application-sourc-typo.yaml', 'spec.sourc')).toBe('unknown field `sourc` (did you mean `source`?)');
  });

  it('explains unserved versions and unknown kinds', () => {
    expect(messageOf('externalsecret-v1beta1.yaml', 'apiVersion')).toBe(
      'ExternalSecret is not served as external-secrets.io/v1beta1 (its CRD marks external-secrets.io/v1beta1 served: false); use external-secrets.io/v1',
    );
    expect(messageOf('deployment-apps-v1beta1.yaml', 'apiVersion')).toContain('use apps/v1');
    expect(messageOf('unknown-kind.yaml', 'kind')).toContain('(did you mean `Deployment`?)');
  });

  it('describes wrong values in the words of the schema', () => {
    expect(messageOf('deployment-replicas-string.yaml', 'spec.replicas')).toBe('expected integer, got "2"');
    expect(messageOf('service-port-string.yaml', 'spec.ports[0].targetPort')).toBe('expected integer or string, got boolean true');
    expect(messageOf('externalsecret-creation-policy.yaml', 'spec.target.creationPolicy')).toBe(
      'expected one of "Owner", "Orphan", "Merge", "None", "CreateOrMerge", got "Sometimes"',
    );
    expect(messageOf('deployment-container-name-missing.yaml', 'spec.template.spec.containers[0].name')).toBe('missing required field `name`');
  });

  it('names the document even when its metadata is what is wrong', () => {
    const [finding] = findingsOf('fail', 'deployment-top-level-typo.yaml');
    expect(finding).toMatchObject({ file: 'scripts/lib/validate/fixtures/schema/fail/deployment-top-level-typo.yaml', kind: 'Deployment', name: '' });
  });

  it('returns sorted, stable findings for many documents at once', () => {
    const docs = fixtureNames('fail').map((name) => loadFixture('fail', name).doc);
    const first = validateSchemas(docs, K8S);
    expect(first).toEqual(sortFindings(first));
    expect(validateSchemas([...docs].reverse(), K8S)).toEqual(first);
  });
});

describe('schema catalogue', () => {
  it('rejects an unknown Kubernetes version and lists the available ones', () => {
    expect(() => validateSchemas([], '1.99')).toThrow(/No vendored schemas for Kubernetes "1\.99" \(available: 1\.33\)/);
  });

  it('has vendored schema files for every listed kind', () => {
    const k8s = JSON.parse(readFileSync(join(SCHEMA_ROOT, `kubernetes/v${K8S}/index.json`), 'utf8')) as KubernetesIndex;
    const definitions = JSON.parse(readFileSync(join(SCHEMA_ROOT, `kubernetes/v${K8S}/definitions.json`), 'utf8')) as { definitions: Record<string, unknown> };
    const crds = JSON.parse(readFileSync(join(SCHEMA_ROOT, 'crds/index.json'), 'utf8')) as CrdIndex;
    for (const { apiVersion, kind } of BUILTIN_KINDS) {
      const definition = k8s.kinds[kindKey(apiVersion, kind)];
      expect(definition && definitions.definitions[definition], `${apiVersion} ${kind}`).toBeTruthy();
    }
    for (const { group, kind } of CRD_KINDS) {
      const served = Object.entries(crds.kinds).filter(([key, e]) => key.startsWith(`${group}/`) && key.endsWith(`/${kind}`) && e.served);
      expect(served.length, `${group} ${kind}`).toBeGreaterThan(0);
      for (const [, entry] of served) expect(existsSync(join(SCHEMA_ROOT, 'crds', entry.schema ?? '')), entry.schema).toBe(true);
    }
  });

  it('compiles every vendored kind', () => {
    const set = loadSchemaSet(K8S);
    for (const key of set.kinds) {
      const slash = key.lastIndexOf('/');
      expect('validate' in set.resolve(key.slice(0, slash), key.slice(slash + 1)), key).toBe(true);
    }
  });

  it('documents the sha256 of every upstream file in scripts/schemas/README.md', () => {
    const readme = readFileSync(join(SCHEMA_ROOT, 'README.md'), 'utf8');
    const k8s = JSON.parse(readFileSync(join(SCHEMA_ROOT, `kubernetes/v${K8S}/index.json`), 'utf8')) as KubernetesIndex;
    const crds = JSON.parse(readFileSync(join(SCHEMA_ROOT, 'crds/index.json'), 'utf8')) as CrdIndex;
    for (const sha of [...Object.values(k8s.sources), ...Object.values(crds.sources)]) expect(readme).toContain(sha);
  });
});

describe('update-schemas transforms', () => {
  it('adds additionalProperties: false wherever properties are listed, except on preserve-unknown-fields nodes', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
        values: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { image: { type: 'object', properties: { tag: { type: 'string' } } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
        either: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'string' }] },
      },
    };
    expect(strictify(schema)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        spec: { type: 'object', additionalProperties: false, properties: { replicas: { type: 'integer' } } },
        values: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          // The API server still prunes unknown fields below a listed property, so that stays strict.
          properties: { image: { type: 'object', additionalProperties: false, properties: { tag: { type: 'string' } } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { port: { type: 'integer' } } } },
        either: { anyOf: [{ type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } }, { type: 'string' }] },
      },
    });
  });

  it('drops documentation keywords but not fields that share their names', () => {
    const schema: Schema = {
      description: 'An object.',
      properties: {
        description: { type: 'string', description: 'A field called description.' },
        meta: { allOf: [{ $ref: '#/components/schemas/Meta' }], default: {}, description: 'Wrapped ref.' },
      },
      'x-kubernetes-validations': [{ rule: 'self.a > 0' }],
    };
    expect(trimSchema(schema)).toEqual({ properties: { description: { type: 'string' }, meta: { $ref: '#/components/schemas/Meta' } } });
  });

  it('keeps the Go (?i) pattern, which the validator runs case-insensitively, and rejects other Go-only syntax', () => {
    const ok: Schema = { type: 'string', pattern: '^(?i)(abort|warn)?$' };
    expect(unsupportedConstructs(ok, 'ok')).toEqual([]);
    expect(goRegExp('^(?i)(abort|warn)?$', 'u').test('ABORT')).toBe(true);
    expect(goRegExp('^(?i)(abort|warn)?$', 'u').test('ignore')).toBe(false);
    expect(unsupportedConstructs({ properties: { x: { pattern: '^(?P<name>a)$' } } }, 'named')).toHaveLength(1);
    expect(unsupportedConstructs({ properties: { x: { format: 'made-up' } } }, 'format')).toEqual(['format: unknown format "made-up"']);
  });

  it('builds CRD schemas: served versions get a strict file, unserved ones only an index entry', () => {
    const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: example.com
  names: {kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              description: dropped
              properties:
                size: {type: integer}
            status:
              type: object
              properties:
                ready: {type: boolean}
    - name: v1beta1
      served: false
      storage: false
      deprecated: true
`;
    const { index, schemas } = buildCrdSchemas([{ path: 'example/widget.yaml', text: crd }], [{ group: 'example.com', kind: 'Widget' }]);
    expect(index.kinds).toEqual({
      'example.com/v1/Widget': { served: true, storage: true, deprecated: false, schema: 'example.com/widget_v1.json', crd: 'example/widget.yaml' },
      'example.com/v1beta1/Widget': { served: false, storage: false, deprecated: true, crd: 'example/widget.yaml' },
    });
    expect(schemas['example.com/widget_v1.json']).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: OBJECT_META_REF },
        spec: { type: 'object', additionalProperties: false, properties: { size: { type: 'integer' } } },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
  });

  it('refuses a CRD whose metadata schema says more than {type: object}', () => {
    expect(() => crdVersionSchema({ properties: { metadata: { type: 'object', properties: { name: { maxLength: 10 } } } } }, 'x')).toThrow(/metadata/);
  });

  it('vendors only the Kubernetes definitions reachable from the listed kinds', () => {
    const openapi = {
      components: {
        schemas: {
          'io.k8s.api.core.v1.ConfigMap': {
            'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }],
            properties: { metadata: { allOf: [{ $ref: '#/components/schemas/Meta' }], default: {} }, data: { type: 'object', additionalProperties: { type: 'string' } } },
          },
          Meta: { properties: { name: { type: 'string' } } },
          Unused: { properties: { x: { type: 'string' } } },
        },
      },
    };
    const { index, definitions } = buildKubernetesSchemas([{ path: 'api__v1.json', text: JSON.stringify(openapi) }], '1.0', [{ apiVersion: 'v1', kind: 'ConfigMap' }]);
    expect(index.kinds).toEqual({ 'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap' });
    expect(Object.keys(definitions.definitions).sort()).toEqual(['Meta', 'io.k8s.api.core.v1.ConfigMap']);
    expect(definitions.definitions['io.k8s.api.core.v1.ConfigMap']).toEqual({
      additionalProperties: false,
      properties: { metadata: { $ref: '#/definitions/Meta' }, data: { type: 'object', additionalProperties: { type: 'string' } } },
    });
    expect(() => reachableDefinitions({ A: { $ref: '#/components/schemas/Missing' } }, ['A'])).toThrow(/Missing/);
  });

  it('writes JSON with sorted keys, LF and a trailing newline', () => {
    expect(toJson({ b: 1, a: { d: [2, 1], c: true } })).toBe('{\n  "a": {\n    "c": true,\n    "d": [\n      2,\n      1\n    ]\n  },\n  "b": 1\n}\n');
  });
});

describe('finding helpers', () => {
  it('formats paths with [i] for list items and quotes for non-identifier keys', () => {
    const data = { spec: { containers: [{ name: 'a' }] }, data: { '0': 'x', 'app.kubernetes.io/name': 'y' } };
    expect(formatPath(['spec', 'containers', '0', 'name'], data)).toBe('spec.containers[0].name');
    expect(formatPath(['data', '0'], data)).toBe('data["0"]');
    expect(formatPath(['data', 'app.kubernetes.io/name'], data)).toBe('data["app.kubernetes.io/name"]');
  });

  it('suggests only plausible typos', () => {
    expect(closest('imagePullPolicyy', ['image', 'imagePullPolicy', 'name'])).toBe('imagePullPolicy');
    expect(closest('foo', ['replicas', 'selector'])).toBeUndefined();
  });
});
