// YAML in and out: strict parsing of hand-written input, and output that reads the same under YAML 1.1 and 1.2.
import { Document, isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { InputError, type InputErrorDetail } from './errors.ts';

const MAX_INPUT_BYTES = 1024 * 1024;
/** Aliases are allowed only in small numbers: enough to reuse a block, far too few for an expansion bomb. */
const MAX_ALIASES = 10;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedYaml {
  value: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * Parses one hand-written YAML document strictly: duplicate keys, unknown tags, `%YAML` directives,
 * merge keys, values a YAML 1.1 reader would read differently (`no`, `on`, `0777`, `12:30`), unsafe
 * integers, prototype keys and more than a few aliases are all errors with file:line:column.
 */
export function parseStrictYaml(source: string, file: string): ParsedYaml {
  if (Buffer.byteLength(source) > MAX_INPUT_BYTES) throw new InputError([{ file, message: `larger than ${MAX_INPUT_BYTES} bytes; an environment file is a short list of overrides` }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { schema: 'core', merge: false, uniqueKeys: true, prettyErrors: false, lineCounter, compat: 'yaml-1.1' });
  const at = (offset: number | undefined, message: string): InputErrorDetail => ({ file, ...position(lineCounter, offset), message });
  const problems: InputErrorDetail[] = [
    ...doc.errors.map((e) => at(e.pos[0], describeYamlError(e.code, e.message))),
    ...doc.warnings.map((w) => at(w.pos[0], describeYamlError(w.code, w.message))),
  ];
  if (doc.directives?.yaml.explicit) problems.push({ file, line: 1, column: 1, message: 'remove the `%YAML` directive: it changes how values are read (YAML 1.1 turns `no` into false)' });
  problems.push(...structuralProblems(doc, at));
  if (problems.length > 0) throw new InputError(problems);
  if (doc.contents === null) throw new InputError([{ file, line: 1, column: 1, message: 'the file is empty; it must hold a mapping with at least `domain:`' }]);
  return { value: structuredClone(doc.toJS({ maxAliasCount: MAX_ALIASES })), doc, lineCounter };
}

function position(lc: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return {};
  const { line, col } = lc.linePos(offset);
  return { line, column: col };
}

function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAG_RESOLVE_FAILED' && first.startsWith('Value may be parsed as either')) {
    return `${first}: quote it (for example "no") so every YAML reader sees the same value`;
  }
  if (code === 'DUPLICATE_KEY') return `${first}: remove one of the two entries`;
  if (code === 'MULTIPLE_DOCS') return 'only one YAML document is allowed per file (remove the `---` separator)';
  return first;
}

function structuralProblems(doc: Document.Parsed, at: (offset: number | undefined, m: string) => InputErrorDetail): InputErrorDetail[] {
  const problems: InputErrorDetail[] = [];
  let aliases = 0;
  visit(doc, {
    Alias(_, node) {
      aliases += 1;
      if (aliases === MAX_ALIASES + 1) problems.push(at(node.range?.[0], `more than ${MAX_ALIASES} aliases; write the values out`));
    },
    Pair(_, pair) {
      const key = pair.key;
      if (!isScalar(key)) return;
      if (key.value === '<<') problems.push(at(key.range?.[0], 'merge keys (`<<`) are not supported; write the values out'));
      if (FORBIDDEN_KEYS.has(String(key.value))) problems.push(at(key.range?.[0], `the key \`${String(key.value)}\` is not allowed`));
    },
    Scalar(_, node) {
      if (typeof node.value !== 'number') return;
      const src = node.source ?? '';
      if (/^[-+]?0\d/.test(src)) problems.push(at(node.range?.[0], `\`${src}\` has a leading zero, which YAML 1.1 reads as octal; quote it or drop the zero`));
      else if (Number.isInteger(node.value) && !Number.isSafeInteger(node.value)) problems.push(at(node.range?.[0], `\`${src}\` is too large to represent exactly; quote it`));
    },
  });
  return problems;
}

/** The YAML node at a path, or the deepest existing ancestor, so an error can point at a line. */
export function nodeAt(doc: Document.Parsed, path: readonly PropertyKey[], preferKey = false): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) return node as Node;
    const collection = node as { items: unknown[] };
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) return node as Node;
      node = segment === path[path.length - 1] && preferKey ? pair.key : pair.value;
    } else {
      const next = typeof segment === 'number' ? collection.items[segment] : undefined;
      if (next === undefined) return node as Node;
      node = next;
    }
    if (isAlias(node)) return node;
  }
  return node as Node;
}

/** Orders keys: apiVersion, kind, metadata first, metadata's name/namespace/labels/annotations first, the rest by code unit. */
export function canonicalize(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonicalize(v, '[]'));
  if (value === null || typeof value !== 'object') return value;
  const order = parentKey === 'metadata' ? METADATA_FIRST : parentKey === '' ? TOP_FIRST : [];
  const keys = Object.keys(value).sort((a, b) => rank(a, order) - rank(b, order) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = canonicalize(v, k);
  }
  return out;
}

const TOP_FIRST = ['apiVersion', 'kind', 'metadata', 'spec', 'data'];
const METADATA_FIRST = ['name', 'namespace', 'labels', 'annotations'];

function rank(key: string, order: string[]): number {
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

/** Serializes one object: canonical key order, block strings, no line folding, YAML-1.1-safe quoting. */
export function toYaml(value: unknown, header = ''): string {
  const doc = new Document(canonicalize(value), null, { compat: 'yaml-1.1' });
  const body = doc.toString({ lineWidth: 0, indentSeq: true });
  return header + body;
}
