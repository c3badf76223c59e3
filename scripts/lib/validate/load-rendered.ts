// Reads rendered/**.yaml into documents strictly: duplicate keys, bad YAML and YAML 1.1/1.2 ambiguity become findings, never crashes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isAlias, isCollection, isPair, isScalar, LineCounter, parseAllDocuments, type YAMLError } from 'yaml';
import type { KubernetesObject } from '../k8s.ts';
import type { Finding, RenderedDoc } from './types.ts';

/** Folders of rendered/ that hold shared Argo CD config rather than an environment. */
const NON_ENVIRONMENT_DIRS: ReadonlySet<string> = new Set(['argocd']);

/** Not Kubernetes objects: Kustomize reads them, the API server never sees them. */
const KUSTOMIZE_FILES = new Set(['kustomization.yaml', 'kustomization.yml']);

export interface Loaded {
  docs: RenderedDoc[];
  findings: Finding[];
}

/** Environment and component of `rendered/<env>/<component>/<file>`; shared folders (`rendered/argocd/`) have no environment. */
export function locate(file: string): { env: string; component: string } {
  const parts = file.split('/');
  if (parts[0] !== 'rendered' || parts.length < 3) return { env: '', component: '' };
  if (NON_ENVIRONMENT_DIRS.has(parts[1]!)) return { env: '', component: parts[1]! };
  return { env: parts[1]!, component: parts.length >= 4 ? parts[2]! : '' };
}

function yamlFinding(file: string, rule: string, e: YAMLError | { message: string; linePos?: undefined }): Finding {
  const pos = e.linePos?.[0];
  const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return { file, kind: '', name: '', path: pos ? `${pos.line}:${pos.col}` : '', message, rule };
}

function isObject(v: unknown): v is KubernetesObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | null | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof meta === 'object' && meta !== null && typeof meta.name === 'string' && meta.name !== '';
}

/** Paths where two plain values differ (a whole subtree counts once). */
function differences(a: unknown, b: unknown, path: string): string[] {
  if (a === b) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return [path];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].flatMap((k) =>
    differences(ra[k], rb[k], Array.isArray(a) ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`),
  );
}

const OPTIONS = { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: true } as const;

/** The plain-scalar tags a YAML 1.1 reader tries, in the order `yaml` tries them (its compose step picks the first whose test matches). */
type ScalarResolver = { test: RegExp; resolve: (source: string, onError: (message: string) => void, options: object) => unknown };
const TAGS_11 = new Document(null, { ...OPTIONS, version: '1.1', schema: 'yaml-1.1' }).schema.tags.filter(
  (t) => t.default === true && !t.collection && t.test,
) as unknown as ScalarResolver[];

/**
 * True when every node of a YAML 1.2 document would read the same under YAML 1.1, so a second parse
 * as YAML 1.1 cannot find a difference. Only plain scalars resolve differently between the two
 * schemas (quoted and block scalars are strings in both); anything this does not fully decide
 * (an explicit tag, a `<<` key, a resolver error) answers false, and the caller parses as YAML 1.1.
 */
function sameUnder11(node: unknown): boolean {
  if (node === null || node === undefined || isAlias(node)) return true;
  if (isPair(node)) return sameUnder11(node.key) && sameUnder11(node.value);
  if (isCollection(node)) return !node.tag && node.items.every(sameUnder11);
  if (!isScalar(node)) return false;
  if (node.tag) return false;
  if (node.type !== 'PLAIN') return true;
  const source = node.source as unknown;
  if (typeof source !== 'string' || source === '<<') return false;
  const tag = TAGS_11.find((t) => t.test.test(source));
  if (!tag) return source === node.value;
  let failed = false;
  const res = tag.resolve(source, () => (failed = true), OPTIONS) as unknown;
  return !failed && (isScalar(res) ? res.value : res) === node.value;
}

/** Parses one rendered file. `where` defaults to the environment and component its path names. */
export function parseRendered(text: string, file: string, where = locate(file)): Loaded {
  const lines = new LineCounter();
  const docs12 = parseAllDocuments(text, { ...OPTIONS, lineCounter: lines });
  // kubectl and Argo CD read YAML 1.1: a value that changes meaning there (`on`, `0777`) is ambiguous.
  // Parsing again as YAML 1.1 costs as much as the first parse, so it happens only for a file with a
  // document that may read differently (directives persist across documents in 1.1, so any `%` line too).
  let docs11: ReturnType<typeof parseAllDocuments> | undefined;
  const parse11 = () => (docs11 ??= parseAllDocuments(text, { ...OPTIONS, version: '1.1', schema: 'yaml-1.1' }));
  const out: Loaded = { docs: [], findings: [] };
  const directives = /^%/m.test(text);
  docs12.forEach((doc, i) => {
    // Warnings count: an unknown tag such as `!foo` only warns and silently becomes a string.
    const problems = [
      ...doc.errors.map((e) => yamlFinding(file, e.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-invalid', e)),
      ...doc.warnings.map((w) => yamlFinding(file, 'yaml-invalid', w)),
    ];
    if (doc.directives.yaml.explicit) problems.push(yamlFinding(file, 'yaml-invalid', { message: 'a %YAML directive changes how every reader parses the file' }));
    if (problems.length > 0) return void out.findings.push(...problems);
    let value: unknown;
    let value11: unknown;
    try {
      // yaml's default alias budget stops billion-laughs documents; it throws without a position.
      value = doc.toJS() as unknown;
      if (directives || !sameUnder11(doc.contents)) {
        const d11 = (parse11() as unknown[])[i] as (typeof docs12)[number] | undefined;
        value11 = d11 && d11.errors.length === 0 ? (d11.toJS() as unknown) : undefined;
      } else value11 = value;
    } catch (e) {
      return void out.findings.push(yamlFinding(file, 'yaml-invalid', { message: (e as Error).message }));
    }
    if (value === null || value === undefined) return;
    if (!isObject(value)) {
      const { line, col } = lines.linePos(doc.range[0]);
      return void out.findings.push({ file, kind: '', name: '', path: `${line}:${col}`, message: 'not a Kubernetes object (needs apiVersion, kind and metadata.name)', rule: 'yaml-invalid' });
    }
    for (const path of differences(value, value11, '')) {
      out.findings.push({ file, kind: value.kind, name: value.metadata.name, path, message: 'reads differently under YAML 1.1 (kubectl, Argo CD): quote the value', rule: 'yaml-ambiguous' });
    }
    out.docs.push({ file, ...where, object: value });
  });
  return out;
}

function yamlFiles(dir: string, rel: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return yamlFiles(full, `${rel}/${entry}`);
      return /\.ya?ml$/.test(entry) && !KUSTOMIZE_FILES.has(entry) ? [`${rel}/${entry}`] : [];
    });
}

/** Every rendered document under `<root>/rendered`, in path order; files are named relative to `root`. */
export function loadRendered(root: string): Loaded {
  const base = join(root, 'rendered');
  const files = statSync(base, { throwIfNoEntry: false })?.isDirectory() ? yamlFiles(base, 'rendered') : [];
  const parsed = files.map((f) => parseRendered(readFileSync(join(root, f), 'utf8'), f));
  return { docs: parsed.flatMap((p) => p.docs), findings: parsed.flatMap((p) => p.findings) };
}
