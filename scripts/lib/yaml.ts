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

/** The reference serializer: yaml's Document model. toYaml must give exactly its bytes (yaml.test.ts compares them). */
export function toYamlReference(value: unknown, header = ''): string {
  const doc = new Document(canonicalize(value), null, { compat: 'yaml-1.1' });
  return header + doc.toString(YAML_OUTPUT);
}

const YAML_OUTPUT = { lineWidth: 0, indentSeq: true } as const;

/**
 * Serializes one object: canonical key order, block strings, no line folding, YAML-1.1-safe quoting.
 * Byte for byte what toYamlReference writes, about ten times faster: yaml's Document model costs ~30 ms
 * per environment, most of a render. The layout (maps, lists, indentation) is written here; every scalar
 * and every key is still written by yaml itself (memoised, since the same strings recur in every
 * environment), so quoting, block scalars and YAML 1.1 rules stay yaml's. Anything outside the plain
 * JSON-like shapes falls back to the reference.
 */
export function toYaml(value: unknown, header = ''): string {
  const canonical = canonicalize(value);
  if (!isPlainMap(canonical) && !Array.isArray(canonical)) return toYamlReference(value, header);
  try {
    const lines: string[] = [];
    if (isEmpty(canonical)) return `${header}${Array.isArray(canonical) ? '[]' : '{}'}\n`;
    block(canonical, 0, lines);
    return `${header}${lines.join('\n')}\n`;
  } catch (e) {
    if (e instanceof Unsupported) return toYamlReference(value, header);
    throw e;
  }
}

class Unsupported extends Error {}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function isEmpty(v: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
}

/** Appends the lines of a non-empty map or list; its first line is left unindented for the caller to prefix. */
function block(value: Record<string, unknown> | unknown[], col: number, out: string[]): void {
  const indent = ' '.repeat(col);
  if (Array.isArray(value)) {
    value.forEach((item, i) => entry(`${i === 0 ? '' : indent}-`, item, col, true, out));
  } else {
    let first = true;
    for (const key of Object.keys(value)) {
      entry(`${first ? '' : indent}${keyText(key)}:`, value[key], col, false, out);
      first = false;
    }
  }
}

function entry(prefix: string, v: unknown, col: number, inList: boolean, out: string[]): void {
  if ((isPlainMap(v) || Array.isArray(v)) && !isEmpty(v)) {
    if (inList) {
      // `- key: value` / `- - item`: the child starts on the dash line, two columns in.
      const start = out.length;
      block(v, col + 2, out);
      out[start] = `${prefix} ${out[start]}`;
    } else {
      out.push(prefix);
      const start = out.length;
      block(v, col + 2, out);
      out[start] = `${' '.repeat(col + 2)}${out[start]}`;
    }
    return;
  }
  const s = scalarText(v);
  if (typeof s === 'string') {
    out.push(`${prefix} ${s}`);
    return;
  }
  out.push(`${prefix} ${s.header}`);
  const content = ' '.repeat(col + 2);
  for (const line of s.lines) out.push(line === null ? '' : content + line);
}

interface BlockScalar {
  header: string;
  /** Content lines relative to the block's indentation; null for a line yaml leaves without indentation. */
  lines: (string | null)[];
}

/** Bounded: the memo would otherwise grow with every environment's own names (measured: 500 envs, RSS 295 → 237 MiB). */
const MEMO_LIMIT = 5_000;
const keyMemo = new Map<string, string>();
const scalarMemo = new Map<unknown, string | BlockScalar>();

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** A map key as yaml writes it (`"n"` is quoted, since YAML 1.1 reads n as false). */
function keyText(key: string): string {
  const known = keyMemo.get(key);
  if (known !== undefined) return known;
  const text = new Document({ [key]: null }, null, { compat: 'yaml-1.1' }).toString(YAML_OUTPUT);
  if (!text.endsWith(': null\n') || text.includes('\n', 0) && text.indexOf('\n') !== text.length - 1) throw new Unsupported();
  return remember(keyMemo, key, text.slice(0, -': null\n'.length));
}

/** A scalar value as yaml writes it after `key: ` (a block scalar is re-indented where it is used). */
function scalarText(v: unknown): string | BlockScalar {
  if (Array.isArray(v)) return '[]';
  if (isPlainMap(v)) return '{}';
  if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Unsupported();
  const memoKey = typeof v === 'string' ? v : `\0${typeof v}:${String(v)}`;
  const known = scalarMemo.get(memoKey);
  if (known !== undefined) return known;
  const text = new Document({ k: v }, null, { compat: 'yaml-1.1' }).toString(YAML_OUTPUT);
  if (!text.startsWith('k: ')) throw new Unsupported();
  const lines = text.slice(3, -1).split('\n');
  if (lines.length === 1) return remember(scalarMemo, memoKey, lines[0]!);
  if (!/^[|>]/.test(lines[0]!) || lines.slice(1).some((l) => l !== '' && !l.startsWith('  '))) throw new Unsupported();
  return remember(scalarMemo, memoKey, { header: lines[0]!, lines: lines.slice(1).map((l) => (l === '' ? null : l.slice(2))) });
}
