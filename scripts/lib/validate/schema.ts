// Layer 1 of `npm run validate`: kubeconform -strict-grade JSON-schema checks against the vendored schemas in scripts/schemas/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import equal from 'ajv/dist/runtime/equal.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import uri from 'ajv/dist/runtime/uri.js';
import validationError from 'ajv/dist/runtime/validation_error.js';
import addFormats from 'ajv-formats';
import * as ajvFormats from 'ajv-formats/dist/formats.js';
import { REPO_ROOT } from '../paths.ts';
import { sortFindings, type Finding, type RenderedDoc } from './types.ts';

/** Where update-schemas.ts writes and the validator reads; resolved from the repository root so any working directory (and a bundle) works. */
export const SCHEMA_ROOT = join(REPO_ROOT, 'scripts/schemas');

/** Ajv key of a Kubernetes version's definitions.json; CRD schemas reference ObjectMeta through it. */
const KUBERNETES_DEFINITIONS_ID = 'kubernetes-definitions.json';
export const OBJECT_META_REF = `${KUBERNETES_DEFINITIONS_ID}#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`;

/** Non-standard OpenAPI formats that carry no constraint of their own (the `oneOf` beside them does the checking). */
const ALWAYS_VALID_FORMATS = ['int-or-string'];

/** `kubernetes/v<minor>/index.json`: which definition validates which kind, and the upstream files it came from. */
export interface KubernetesIndex {
  kubernetesVersion: string;
  /** `apiVersion/kind` → definition name in definitions.json. */
  kinds: Record<string, string>;
  /** Upstream file (relative to the `--kubernetes` folder) → sha256. */
  sources: Record<string, string>;
}

/** One version of one CRD kind, served or not. */
export interface CrdVersionEntry {
  served: boolean;
  storage: boolean;
  deprecated: boolean;
  /** Schema file relative to `crds/`; present only for served versions. */
  schema?: string;
  /** Upstream CRD file (relative to the `--crds` folder) the entry came from. */
  crd: string;
}

/** `crds/index.json`. */
export interface CrdIndex {
  /** `apiVersion/kind` → version entry, e.g. `external-secrets.io/v1beta1/ExternalSecret`. */
  kinds: Record<string, CrdVersionEntry>;
  sources: Record<string, string>;
}

/** Catalogue key of a kind; `v1/Namespace` for the core group. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** API group of an apiVersion (`''` for the core group). */
function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * Go's RE2 accepts a leading `(?i)` flag group that JavaScript rejects (PrometheusRule's
 * `partial_response_strategy`); the API server honours it, so we translate it to the `i` flag.
 * Anywhere else `(?i)` stays in the pattern and RegExp throws, which update-schemas reports.
 */
export function goRegExp(pattern: string, flags: string): RegExp {
  const inline = /^(\^?)\(\?i\)/.exec(pattern);
  return inline ? new RegExp(inline[1] + pattern.slice(inline[0].length), `${flags}i`) : new RegExp(pattern, flags);
}
// How standalone code (the precompiled validators below) reaches this function: through precompiledRequire.
goRegExp.code = 'require("orocommerce-gitops/go-regexp").goRegExp';

/** The one Ajv configuration, shared by validation and the format check update-schemas runs. */
function createAjv(): Ajv {
  // strict: false because `x-kubernetes-*` and other OpenAPI keywords are not JSON Schema; verbose gives
  // parentSchema to unknown-field errors so we can suggest the closest allowed name. optimize: false halves
  // compile time (all vendored kinds: about 1.5 s → 0.85 s) and costs a few µs per validated document.
  // source: true keeps the generated code, so it can be saved as a precompiled module.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, code: { regExp: goRegExp, optimize: false, source: true } });
  addFormats(ajv);
  for (const format of ALWAYS_VALID_FORMATS) ajv.addFormat(format, true);
  return ajv;
}

let knownFormats: Set<string> | undefined;

/** True if the validator knows `format` (update-schemas refuses schemas that use any other). */
export function isSupportedFormat(format: string): boolean {
  knownFormats ??= new Set(Object.keys(createAjv().formats));
  return knownFormats.has(format);
}

/** Kubernetes minor versions with vendored schemas, oldest first, e.g. `['1.33']`. */
export function availableKubernetesVersions(): string[] {
  const dir = join(SCHEMA_ROOT, 'kubernetes');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^v\d+\.\d+$/.test(name))
    .map((name) => name.slice(1))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** What a document's apiVersion/kind resolves to: a compiled validator, or the finding that explains why there is none. */
export type Resolution = { validate: ValidateFunction } | { rule: string; path: string; message: string };

/** Compiled validators for one Kubernetes version plus the CRDs; compiles lazily, once per kind. */
export interface SchemaSet {
  readonly kubernetesVersion: string;
  /** Every `apiVersion/kind` with a schema (served), sorted. */
  readonly kinds: readonly string[];
  resolve(apiVersion: string, kind: string): Resolution;
  validate(docs: readonly RenderedDoc[]): Finding[];
  /** How many kinds came precompiled from the cache (the rest were compiled in this process). */
  readonly precompiledKinds: number;
  /** Writes the precompiled module now (normally done once at exit when something was compiled). */
  savePrecompiled(): void;
}

const schemaSets = new Map<string, SchemaSet>();

/** Loads (once per process) the schema catalogue of a Kubernetes version; throws listing the available versions. */
export function loadSchemaSet(kubernetesVersion: string): SchemaSet {
  const cached = schemaSets.get(kubernetesVersion);
  if (cached) return cached;
  const available = availableKubernetesVersions();
  if (!available.includes(kubernetesVersion)) {
    throw new Error(
      `No vendored schemas for Kubernetes "${kubernetesVersion}" (available: ${available.join(', ') || 'none'}). ` +
        'Vendor them with scripts/update-schemas.ts (see scripts/schemas/README.md).',
    );
  }
  const set = createSchemaSet(kubernetesVersion);
  schemaSets.set(kubernetesVersion, set);
  return set;
}

/** Loads the schema set and compiles a validator for every kind in `docs`, so a benchmark can time loading apart from validating. */
export function prepareSchemas(docs: readonly RenderedDoc[], kubernetesVersion: string): SchemaSet {
  const set = loadSchemaSet(kubernetesVersion);
  for (const { object } of docs) {
    if (isRecord(object) && typeof object.apiVersion === 'string' && typeof object.kind === 'string') set.resolve(object.apiVersion, object.kind);
  }
  return set;
}

/** Validates every document against the schema of its apiVersion/kind; findings sorted and stable. */
export function validateSchemas(docs: readonly RenderedDoc[], kubernetesVersion: string): Finding[] {
  return loadSchemaSet(kubernetesVersion).validate(docs);
}

/**
 * Precompiled validators: compiling the ~22 kinds a render uses costs about 0.65 s on every run, so the
 * validators compiled once are saved as Ajv standalone code and loaded from there. The file name is a
 * hash of everything that can change the code (every schema file, Ajv's and ajv-formats' versions, the
 * options above, this format version), so a stale module is never loaded; a kind missing from it is
 * compiled as before and the module rewritten at exit with it added.
 */
const PRECOMPILED_FORMAT = 'ajv-standalone-1';
/** Change it with the options in createAjv: they shape the generated code. */
const AJV_OPTIONS_ID = 'strict:false allErrors verbose optimize:false regExp:goRegExp formats:ajv-formats+int-or-string';
export const PRECOMPILED_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'orocommerce-gitops', 'validators');

/** The `require` the precompiled code sees: only the modules Ajv's generated code names. */
const PRECOMPILED_MODULES: Record<string, unknown> = {
  'orocommerce-gitops/go-regexp': { goRegExp },
  'ajv/dist/runtime/equal': asCommonJs(equal),
  'ajv/dist/runtime/ucs2length': asCommonJs(ucs2length),
  'ajv/dist/runtime/uri': asCommonJs(uri),
  'ajv/dist/runtime/validation_error': asCommonJs(validationError),
  'ajv-formats/dist/formats': ajvFormats,
};

/** Generated code reads `require(…).default`; a default import of these CommonJS modules is the module or its default, depending on the loader. */
function asCommonJs(m: unknown): { default: unknown } {
  const inner = (m as { default?: unknown }).default;
  return { default: inner !== undefined && typeof m !== 'function' ? inner : m };
}

function precompiledRequire(id: string): unknown {
  if (!(id in PRECOMPILED_MODULES)) throw new Error(`precompiled validators require ${id}, which schema.ts does not provide; delete ${PRECOMPILED_DIR}`);
  return PRECOMPILED_MODULES[id];
}

/** sha256 over the schema files of a version and the CRDs, plus the validator's versions and options. */
function schemaHash(k8sDir: string, crdDir: string): string {
  const hash = createHash('sha256').update(PRECOMPILED_FORMAT);
  for (const pkg of ['ajv', 'ajv-formats']) {
    const manifest = join(REPO_ROOT, 'node_modules', pkg, 'package.json');
    hash.update(existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : `${pkg}?`);
  }
  hash.update(AJV_OPTIONS_ID);
  const files = [...readdirSync(k8sDir).map((f) => join(k8sDir, f)), ...readdirSync(crdDir, { recursive: true }).map((f) => join(crdDir, String(f)))].filter((f) => f.endsWith('.json')).sort();
  for (const f of files) hash.update(f.slice(SCHEMA_ROOT.length)).update('\0').update(readFileSync(f));
  return hash.digest('hex').slice(0, 20);
}

/** Ajv key of a kind's schema: a bare file name, so the relative `kubernetes-definitions.json#…` refs resolve as before. */
function schemaKey(kind: string): string {
  return `kind-${kind.replace(/[^A-Za-z0-9.-]/g, '_')}.json`;
}

interface Precompiled {
  kinds: Record<string, ValidateFunction>;
  file: string;
}

function loadPrecompiled(kubernetesVersion: string, k8sDir: string, crdDir: string, dir: string): Precompiled {
  const file = join(dir, `v${kubernetesVersion}-${schemaHash(k8sDir, crdDir)}.cjs`);
  if (!existsSync(file)) return { kinds: {}, file };
  try {
    const module = { exports: {} as Record<string, ValidateFunction> };
    // V8's code cache for the ~2 MB module skips parsing and compiling it again (about 40 ms); V8 rejects
    // a cache from another V8 version or flags, and then it is simply rebuilt.
    const codeCache = `${file}.${process.version}.v8cache`;
    const cachedData = existsSync(codeCache) ? readFileSync(codeCache) : undefined;
    const script = new Script(`(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
    (script.runInThisContext() as (r: typeof precompiledRequire, m: typeof module, e: typeof module.exports) => void)(precompiledRequire, module, module.exports);
    if (!cachedData || script.cachedDataRejected) {
      try {
        writeFileSync(`${codeCache}.${process.pid}.tmp`, script.createCachedData());
        renameSync(`${codeCache}.${process.pid}.tmp`, codeCache);
      } catch {
        // only costs time
      }
    }
    return { kinds: module.exports, file };
  } catch {
    return { kinds: {}, file }; // unreadable or partial: compile instead, and rewrite it
  }
}

export function createSchemaSet(kubernetesVersion: string, precompiledDir = PRECOMPILED_DIR): SchemaSet {
  const k8sDir = join(SCHEMA_ROOT, 'kubernetes', `v${kubernetesVersion}`);
  const crdDir = join(SCHEMA_ROOT, 'crds');
  const k8s = readJson<KubernetesIndex>(join(k8sDir, 'index.json'));
  const crds = readJson<CrdIndex>(join(crdDir, 'index.json'));
  const precompiled = loadPrecompiled(kubernetesVersion, k8sDir, crdDir, precompiledDir);
  let ajvInstance: Ajv | undefined;
  const getAjv = (): Ajv => {
    if (!ajvInstance) {
      ajvInstance = createAjv();
      ajvInstance.addSchema(readJson<SchemaObject>(join(k8sDir, 'definitions.json')), KUBERNETES_DEFINITIONS_ID);
    }
    return ajvInstance;
  };
  const compiledHere: string[] = [];

  const served = [
    ...Object.keys(k8s.kinds),
    ...Object.entries(crds.kinds)
      .filter(([, entry]) => entry.served)
      .map(([key]) => key),
  ].sort();

  const compile = (key: string): ValidateFunction | undefined => {
    const saved = precompiled.kinds[key];
    if (saved) return saved;
    const definition = k8s.kinds[key];
    const file = crds.kinds[key]?.schema;
    if (!definition && !file) return undefined;
    const ajv = getAjv();
    // Added under the kind's key, so standaloneCode can export it by that key.
    ajv.addSchema(definition ? { $ref: `${KUBERNETES_DEFINITIONS_ID}#/definitions/${definition}` } : readJson<SchemaObject>(join(crdDir, file!)), schemaKey(key));
    const validate = ajv.getSchema(schemaKey(key)) as ValidateFunction;
    if (compiledHere.length === 0) process.once('exit', savePrecompiled);
    compiledHere.push(key);
    return validate;
  };

  // Runs at exit (synchronously), once, only when this process had to compile something.
  const savePrecompiled = () => {
    try {
      const ajv = getAjv();
      const keys = [...new Set([...Object.keys(precompiled.kinds), ...compiledHere])].sort();
      for (const key of keys) {
        if (!ajv.getSchema(schemaKey(key))) {
          const definition = k8s.kinds[key];
          ajv.addSchema(definition ? { $ref: `${KUBERNETES_DEFINITIONS_ID}#/definitions/${definition}` } : readJson<SchemaObject>(join(crdDir, crds.kinds[key]!.schema!)), schemaKey(key));
          ajv.getSchema(schemaKey(key));
        }
      }
      const code = standaloneCode(ajv, Object.fromEntries(keys.map((k) => [k, schemaKey(k)])));
      mkdirSync(precompiledDir, { recursive: true });
      const tmp = `${precompiled.file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, precompiled.file);
      // Modules of older schema sets are never loaded again.
      const current = precompiled.file.slice(precompiledDir.length + 1);
      for (const f of readdirSync(precompiledDir)) if (f.startsWith(`v${kubernetesVersion}-`) && !f.startsWith(current)) rmSync(join(precompiledDir, f), { force: true });
    } catch {
      // A cache that cannot be written only costs time on the next run.
    }
  };

  const resolutions = new Map<string, Resolution>();
  const resolve = (apiVersion: string, kind: string): Resolution => {
    const key = kindKey(apiVersion, kind);
    let resolution = resolutions.get(key);
    if (!resolution) {
      const validate = compile(key);
      resolution = validate ? { validate } : explainMissing(apiVersion, kind, served, crds, kubernetesVersion);
      resolutions.set(key, resolution);
    }
    return resolution;
  };

  return {
    kubernetesVersion,
    kinds: served,
    resolve,
    validate: (docs) => sortFindings(docs.flatMap((doc) => validateDoc(doc, resolve))),
    precompiledKinds: Object.keys(precompiled.kinds).length,
    savePrecompiled,
  };
}

/** Why a kind has no schema: a version the CRD or Kubernetes does not serve, or a kind nobody defines. */
function explainMissing(apiVersion: string, kind: string, served: readonly string[], crds: CrdIndex, kubernetesVersion: string): Resolution {
  const label = `Kubernetes ${kubernetesVersion} + vendored CRDs`;
  const servedAs = served.filter((key) => key.endsWith(`/${kind}`)).map((key) => key.slice(0, -kind.length - 1));
  const sameGroup = servedAs.filter((v) => apiGroup(v) === apiGroup(apiVersion));
  if (sameGroup.length > 0) {
    // A CRD lists every version it knows, so its verdict is exact; for built-ins we only know what we vendored.
    const why = crds.kinds[kindKey(apiVersion, kind)]
      ? `its CRD marks ${apiVersion} served: false`
      : sameGroup.some((v) => crds.kinds[kindKey(v, kind)])
        ? `its CRD does not define ${apiVersion}`
        : `not among the vendored Kubernetes ${kubernetesVersion} schemas: removed or not vendored`;
    return { rule: 'schema-unserved-version', path: 'apiVersion', message: `${kind} is not served as ${apiVersion} (${why}); use ${sameGroup.join(' or ')}` };
  }
  if (servedAs.length > 0) {
    return { rule: 'schema-unknown-kind', path: 'apiVersion', message: `no schema for ${apiVersion} ${kind} in ${label}; ${kind} is served as ${servedAs.join(' or ')}` };
  }
  // Kinds are long and alike (ApplicationSet vs Application), so only a slip of two letters earns a suggestion.
  const guess = closest(kind, [...new Set(served.map((key) => key.slice(key.lastIndexOf('/') + 1)))], 2);
  return {
    rule: 'schema-unknown-kind',
    path: 'kind',
    message: `no schema for ${apiVersion} ${kind} in ${label}${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
  };
}

function validateDoc(doc: RenderedDoc, resolve: (apiVersion: string, kind: string) => Resolution): Finding[] {
  const object: unknown = doc.object;
  if (!isRecord(object)) return [docFinding(doc, 'schema-invalid', '', 'document must be a mapping')];
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [docFinding(doc, 'schema-unknown-kind', typeof kind === 'string' ? 'apiVersion' : 'kind', 'apiVersion and kind must both be set')];
  }
  const resolution = resolve(apiVersion, kind);
  if (!('validate' in resolution)) return [docFinding(doc, resolution.rule, resolution.path, resolution.message)];
  if (resolution.validate(object)) return [];
  return describeErrors(resolution.validate.errors ?? [], object).map((p) => docFinding(doc, p.rule, p.path, p.message));
}

/** Like types.ts `finding()`, but safe for documents whose metadata is missing or misspelled (that is what we report). */
function docFinding(doc: RenderedDoc, rule: string, path: string, message: string): Finding {
  const object: unknown = doc.object;
  const kind = isRecord(object) && typeof object.kind === 'string' ? object.kind : '';
  const metadata = isRecord(object) ? object.metadata : undefined;
  const name = isRecord(metadata) && typeof metadata.name === 'string' ? metadata.name : '';
  return { file: doc.file, kind, name, path, message, rule };
}

/** A problem inside one document, before it is tied to the document. */
interface SchemaProblem {
  rule: string;
  path: string;
  message: string;
}

/** Turns Ajv errors into one problem each, folding `oneOf`/`anyOf` branch noise into the alternative's own error. */
function describeErrors(errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const branchOf = (e: ErrorObject) =>
    alternatives.find((alt) => alt !== e && e.schemaPath.startsWith(`${alt.schemaPath}/`) && isWithin(e.instancePath, alt.instancePath));
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    if (branchOf(error)) continue;
    const branches = errors.filter((e) => branchOf(e) === error);
    const problem = describeError(error, branches, data);
    const id = `${problem.rule}\0${problem.path}\0${problem.message}`;
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
  }
  return problems;
}

function isWithin(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

function describeError(error: ErrorObject, branches: readonly ErrorObject[], data: unknown): SchemaProblem {
  const segments = pointerSegments(error.instancePath);
  const at = formatPath(segments, data);
  const value = describeValue(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closest(field, allowed);
      return {
        rule: 'schema-unknown-field',
        path: formatPath([...segments, field], data),
        message: `unknown field \`${field}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
      };
    }
    case 'required': {
      const field = String(error.params.missingProperty);
      return { rule: 'schema-required', path: formatPath([...segments, field], data), message: `missing required field \`${field}\`` };
    }
    case 'type':
      return { rule: 'schema-invalid', path: at, message: `expected ${String(error.params.type).split(',').join(' or ')}, got ${value}` };
    case 'enum':
      return { rule: 'schema-invalid', path: at, message: `expected one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${value}` };
    case 'pattern':
      return { rule: 'schema-invalid', path: at, message: `${value} does not match the pattern ${String(error.params.pattern)}` };
    case 'format':
      return { rule: 'schema-invalid', path: at, message: `${value} is not ${FORMAT_WORDS[String(error.params.format)] ?? `a valid ${String(error.params.format)}`}` };
    case 'oneOf':
    case 'anyOf':
      return { rule: 'schema-invalid', path: at, message: describeAlternatives(error, branches, value) };
    default:
      return { rule: 'schema-invalid', path: at, message: `${error.message ?? 'is invalid'}, got ${value}` };
  }
}

/** Formats whose OpenAPI names do not say what is expected. */
const FORMAT_WORDS: Record<string, string> = {
  byte: 'base64 (format byte)',
  'date-time': 'an RFC 3339 date-time',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
};

/** `expected integer or string, got true` when the branches differ only by type (IntOrString, Quantity). */
function describeAlternatives(error: ErrorObject, branches: readonly ErrorObject[], value: string): string {
  if ((error.params as { passingSchemas?: unknown }).passingSchemas) return `${value} matches more than one allowed form (oneOf)`;
  const onlyTypes = branches.length > 0 && branches.every((b) => b.keyword === 'type' && b.instancePath === error.instancePath);
  if (onlyTypes) return `expected ${[...new Set(branches.map((b) => String(b.params.type)))].join(' or ')}, got ${value}`;
  const reasons = [...new Set(branches.map((b) => `${b.instancePath.slice(error.instancePath.length) || '.'} ${b.message ?? ''}`.trim()))];
  return `${value} matches none of the allowed forms (${reasons.join('; ')})`;
}

/** A short, readable rendering of an offending value for messages. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * `spec.template.spec.containers[0].image`: walks the data so a list index gets `[i]` and a map key
 * that only looks numeric does not; keys that are not plain identifiers are quoted (`labels["app.kubernetes.io/name"]`).
 */
export function formatPath(segments: readonly string[], data: unknown): string {
  let path = '';
  let node = data;
  for (const segment of segments) {
    if (Array.isArray(node)) path += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(segment)}]`;
    node = Array.isArray(node) ? node[Number(segment)] : isRecord(node) ? node[segment] : undefined;
  }
  return path;
}

/** The candidate closest to `word` by edit distance, if close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[], limit = Math.max(1, Math.floor(word.length / 3))): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of [...candidates].sort()) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
