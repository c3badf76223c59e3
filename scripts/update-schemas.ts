// Vendors trimmed, kubeconform -strict-style JSON schemas into scripts/schemas/ from upstream Kubernetes OpenAPI v3 files and CRDs.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  OBJECT_META_REF,
  SCHEMA_ROOT,
  goRegExp,
  isSupportedFormat,
  kindKey,
  type CrdIndex,
  type CrdVersionEntry,
  type KubernetesIndex,
} from './lib/validate/schema.ts';

export type Schema = { [keyword: string]: unknown };

export interface BuiltinKind {
  apiVersion: string;
  kind: string;
}

export interface CrdKind {
  group: string;
  kind: string;
}

/** Built-in kinds the renderer may emit; only definitions reachable from these are vendored. */
export const BUILTIN_KINDS: readonly BuiltinKind[] = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'LimitRange' },
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
];

/** CRD kinds to vendor (every version, served or not). ApplicationSet is left out: not rendered, and slow to compile. */
export const CRD_KINDS: readonly CrdKind[] = [
  { group: 'argoproj.io', kind: 'AppProject' },
  { group: 'argoproj.io', kind: 'Application' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  { group: 'gateway.networking.k8s.io', kind: 'ReferenceGrant' },
  { group: 'keda.sh', kind: 'ScaledObject' },
  { group: 'keda.sh', kind: 'TriggerAuthentication' },
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
];

/** Keywords that document or drive server-side behaviour but constrain nothing a JSON-schema validator checks. */
const DOC_ONLY_KEYWORDS = new Set([
  'default',
  'description',
  'example',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-patch-merge-key',
  'x-kubernetes-patch-strategy',
  'x-kubernetes-unions',
  // CEL rules: Ajv cannot evaluate them; the API server still does.
  'x-kubernetes-validations',
]);

/** Controllers own `status`; accepting any mapping there keeps the schemas (and Ajv compile time) small. */
const STATUS_SCHEMA: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

const SCHEMA_MAPS = new Set(['definitions', 'patternProperties', 'properties']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_VALUES = new Set(['additionalProperties', 'items', 'not']);

function isRecord(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rebuilds a schema bottom-up, applying `fn` to every subschema, never to property names or enum values. */
export function mapSchema(schema: Schema, fn: (s: Schema) => Schema): Schema {
  const out: Schema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.has(keyword) && isRecord(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isRecord(sub) ? mapSchema(sub, fn) : sub]));
    } else if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((sub: unknown) => (isRecord(sub) ? mapSchema(sub, fn) : sub));
    } else if (SCHEMA_VALUES.has(keyword) && isRecord(value)) {
      out[keyword] = mapSchema(value, fn);
    } else {
      out[keyword] = value;
    }
  }
  return fn(out);
}

/** Calls `visit` on every subschema. */
export function eachSchema(schema: Schema, visit: (s: Schema) => void): void {
  mapSchema(schema, (s) => {
    visit(s);
    return s;
  });
}

/** Drops documentation-only keywords, and unwraps the `allOf: [$ref]` wrapper OpenAPI needed only to carry them. */
export function trimSchema(schema: Schema): Schema {
  return mapSchema(schema, (s) => {
    const kept = Object.fromEntries(Object.entries(s).filter(([keyword]) => !DOC_ONLY_KEYWORDS.has(keyword)));
    const { allOf, ...rest } = kept;
    const single = Array.isArray(allOf) && allOf.length === 1 && Object.keys(rest).length === 0;
    return single && isRecord(allOf[0]) ? allOf[0] : kept;
  });
}

/**
 * kubeconform -strict: every object schema that lists `properties` and says nothing about others gets
 * `additionalProperties: false`. A node with `x-kubernetes-preserve-unknown-fields: true` keeps its unknown
 * fields, like the API server's pruning; its listed properties are still checked strictly, as the server prunes them.
 */
export function strictify(schema: Schema): Schema {
  return mapSchema(schema, (s) =>
    isRecord(s.properties) && !('additionalProperties' in s) && s['x-kubernetes-preserve-unknown-fields'] !== true
      ? { ...s, additionalProperties: false }
      : s,
  );
}

/** Replaces a kind's `status` subtree with a free-form mapping. */
export function relaxStatus(schema: Schema): Schema {
  const properties = schema.properties;
  return isRecord(properties) && 'status' in properties ? { ...schema, properties: { ...properties, status: STATUS_SCHEMA } } : schema;
}

/** OpenAPI `#/components/schemas/X` → JSON Schema `#/definitions/X`. */
export function rewriteRefs(schema: Schema): Schema {
  return mapSchema(schema, (s) =>
    typeof s.$ref === 'string' ? { ...s, $ref: s.$ref.replace('#/components/schemas/', '#/definitions/') } : s,
  );
}

function refsOf(schema: Schema): string[] {
  const refs: string[] = [];
  eachSchema(schema, (s) => {
    if (typeof s.$ref === 'string') refs.push(s.$ref.slice(s.$ref.lastIndexOf('/') + 1));
  });
  return refs;
}

/** Names of every definition reachable through `$ref` from `roots` (roots included). */
export function reachableDefinitions(definitions: Record<string, Schema>, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    const definition = definitions[name];
    if (!definition) throw new Error(`definition ${name} is referenced but missing from the OpenAPI files`);
    seen.add(name);
    queue.push(...refsOf(definition));
  }
  return [...seen].sort();
}

/** Problems a JavaScript validator would hit at run time: unknown formats and patterns RegExp rejects. */
export function unsupportedConstructs(schema: Schema, where: string): string[] {
  const problems: string[] = [];
  eachSchema(schema, (s) => {
    if (typeof s.format === 'string' && !isSupportedFormat(s.format)) problems.push(`${where}: unknown format "${s.format}"`);
    if (typeof s.pattern === 'string') {
      try {
        goRegExp(s.pattern, 'u');
      } catch {
        problems.push(`${where}: pattern ${s.pattern} is not a JavaScript RegExp (extend goRegExp in scripts/lib/validate/schema.ts)`);
      }
    }
  });
  return problems;
}

export interface SourceFile {
  /** Path relative to the input folder, `/`-separated. */
  path: string;
  text: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Merges `components.schemas` of every OpenAPI file; the same name must mean the same schema everywhere. */
export function mergeOpenApiDefinitions(files: readonly SourceFile[]): Record<string, Schema> {
  const merged: Record<string, Schema> = {};
  for (const file of files) {
    const schemas = (JSON.parse(file.text) as { components?: { schemas?: Record<string, Schema> } }).components?.schemas ?? {};
    for (const [name, schema] of Object.entries(schemas)) {
      const previous = merged[name];
      if (previous && JSON.stringify(previous) !== JSON.stringify(schema)) throw new Error(`${file.path}: ${name} differs from an earlier file`);
      merged[name] = schema;
    }
  }
  return merged;
}

/** The definition whose `x-kubernetes-group-version-kind` names this kind. */
export function findKindDefinition(definitions: Record<string, Schema>, apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const matches = Object.entries(definitions)
    .filter(([, schema]) => {
      const gvks = schema['x-kubernetes-group-version-kind'];
      return Array.isArray(gvks) && gvks.some((g: Schema) => g.group === group && g.version === version && g.kind === kind);
    })
    .map(([name]) => name);
  if (matches.length !== 1) throw new Error(`expected one definition for ${apiVersion} ${kind}, found ${matches.length}`);
  return matches[0]!;
}

export interface KubernetesSchemas {
  index: KubernetesIndex;
  definitions: { definitions: Record<string, Schema> };
}

/** The trimmed, strict definitions reachable from `builtins`, plus the kind → definition index. */
export function buildKubernetesSchemas(
  files: readonly SourceFile[],
  kubernetesVersion: string,
  builtins: readonly BuiltinKind[] = BUILTIN_KINDS,
): KubernetesSchemas {
  const all = mergeOpenApiDefinitions(files);
  const kinds = Object.fromEntries(builtins.map(({ apiVersion, kind }) => [kindKey(apiVersion, kind), findKindDefinition(all, apiVersion, kind)]));
  const roots = new Set(Object.values(kinds));
  const relaxed = Object.fromEntries(Object.entries(all).map(([name, schema]) => [name, roots.has(name) ? relaxStatus(schema) : schema]));
  const definitions = Object.fromEntries(
    reachableDefinitions(relaxed, [...roots]).map((name) => [name, strictify(rewriteRefs(trimSchema(relaxed[name]!)))]),
  );
  return {
    index: { kubernetesVersion, kinds, sources: Object.fromEntries(files.map((f) => [f.path, sha256(f.text)])) },
    definitions: { definitions },
  };
}

interface CrdDocument {
  kind?: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; storage: boolean; deprecated?: boolean; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

/** A CRD's `metadata: {type: object}` checks nothing; the API server validates it as ObjectMeta, so do we. */
export function withObjectMeta(schema: Schema, where: string): Schema {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (JSON.stringify(properties.metadata) !== JSON.stringify({ type: 'object' })) {
    throw new Error(`${where}: metadata is not the usual {type: object}; teach withObjectMeta to merge it`);
  }
  return { ...schema, properties: { ...properties, metadata: { $ref: OBJECT_META_REF } } };
}

/** One served CRD version's openAPIV3Schema, trimmed and strict. */
export function crdVersionSchema(schema: Schema, where: string): Schema {
  return withObjectMeta(strictify(trimSchema(relaxStatus(schema))), where);
}

export interface CrdSchemas {
  index: CrdIndex;
  /** File under `crds/` → schema. */
  schemas: Record<string, Schema>;
}

/** Schemas and the version index for `crdKinds`, from every CRD in `files`. */
export function buildCrdSchemas(files: readonly SourceFile[], crdKinds: readonly CrdKind[] = CRD_KINDS): CrdSchemas {
  const wanted = new Set(crdKinds.map(({ group, kind }) => `${group}/${kind}`));
  const kinds: Record<string, CrdVersionEntry> = {};
  const schemas: Record<string, Schema> = {};
  const sources: Record<string, string> = {};
  for (const file of files) {
    const crds = parseAllDocuments(file.text)
      .map((doc) => {
        if (doc.errors[0]) throw new Error(`${file.path}: ${doc.errors[0].message}`);
        return doc.toJS() as CrdDocument | null;
      })
      .filter((doc): doc is CrdDocument => doc?.kind === 'CustomResourceDefinition' && wanted.has(`${doc.spec.group}/${doc.spec.names.kind}`));
    if (crds.length > 0) sources[file.path] = sha256(file.text);
    for (const { spec } of crds) {
      for (const version of spec.versions) {
        const apiVersion = `${spec.group}/${version.name}`;
        const key = kindKey(apiVersion, spec.names.kind);
        const entry: CrdVersionEntry = { served: version.served, storage: version.storage, deprecated: version.deprecated === true, crd: file.path };
        const root = version.schema?.openAPIV3Schema;
        if (version.served && root) {
          entry.schema = `${spec.group}/${spec.names.kind.toLowerCase()}_${version.name}.json`;
          schemas[entry.schema] = crdVersionSchema(root, `${file.path} ${key}`);
        }
        kinds[key] = entry;
      }
    }
  }
  const missing = crdKinds.filter(({ group, kind }) => !Object.entries(kinds).some(([key, e]) => e.schema && key.startsWith(`${group}/`) && key.endsWith(`/${kind}`)));
  if (missing.length > 0) throw new Error(`no served CRD version found for ${missing.map((m) => `${m.group}/${m.kind}`).join(', ')}`);
  return { index: { kinds, sources }, schemas };
}

/** Deep copy with object keys sorted, so regenerated files diff only where upstream changed. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** Pretty JSON (one keyword per line) with LF and a trailing newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Every file under `dir` whose name matches, as `/`-separated relative paths, sorted. */
function readTree(dir: string, pattern: RegExp): SourceFile[] {
  const walk = (d: string): string[] =>
    readdirSync(d)
      .sort()
      .flatMap((name) => (statSync(join(d, name)).isDirectory() ? walk(join(d, name)) : pattern.test(name) ? [join(d, name)] : []));
  return walk(dir).map((file) => ({ path: relative(dir, file).split(sep).join('/'), text: readFileSync(file, 'utf8') }));
}

/** Output files (relative to the schema root) → content; throws if a schema uses something the validator cannot run. */
export function renderOutputs(k8s: KubernetesSchemas, crds: CrdSchemas): Record<string, string> {
  const versionDir = `kubernetes/v${k8s.index.kubernetesVersion}`;
  const problems = [
    ...Object.entries(k8s.definitions.definitions).flatMap(([name, s]) => unsupportedConstructs(s, name)),
    ...Object.entries(crds.schemas).flatMap(([file, s]) => unsupportedConstructs(s, file)),
  ];
  if (problems.length > 0) throw new Error(`upstream schemas use constructs the validator cannot run:\n${problems.join('\n')}`);
  return {
    [`${versionDir}/index.json`]: toJson(k8s.index),
    [`${versionDir}/definitions.json`]: toJson(k8s.definitions),
    'crds/index.json': toJson(crds.index),
    ...Object.fromEntries(Object.entries(crds.schemas).map(([file, s]) => [`crds/${file}`, toJson(s)])),
  };
}

const USAGE = 'usage: tsx scripts/update-schemas.ts --kubernetes <dir of OpenAPI v3 *.json> --crds <dir of CRD *.yaml> --version <major.minor> [--out <dir>]';

function main(): void {
  const { values } = parseArgs({
    options: { kubernetes: { type: 'string' }, crds: { type: 'string' }, version: { type: 'string' }, out: { type: 'string', default: SCHEMA_ROOT } },
  });
  const { kubernetes, crds, version, out } = values;
  if (!kubernetes || !crds || !version || !/^\d+\.\d+$/.test(version)) throw new Error(USAGE);
  const outputs = renderOutputs(
    buildKubernetesSchemas(readTree(kubernetes, /\.json$/), version),
    buildCrdSchemas(readTree(crds, /\.ya?ml$/)),
  );
  // Regenerated folders are replaced whole so a kind dropped upstream does not linger; README.md and other versions stay.
  rmSync(join(out, `kubernetes/v${version}`), { recursive: true, force: true });
  rmSync(join(out, 'crds'), { recursive: true, force: true });
  for (const [file, text] of Object.entries(outputs)) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), text);
  }
  const bytes = Object.values(outputs).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(`wrote ${Object.keys(outputs).length} files (${(bytes / 1024).toFixed(0)} KiB) to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
