// `extends:` resolution: the chain of files an environment is built from, their merge, and where each value was written.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { InputError } from '../errors.ts';
import { parseStrictYaml, type ParsedYaml } from '../yaml.ts';
import { EXTENDS_PATTERN } from './schema.ts';

export const PROFILES_DIR = 'profiles';

/** One file of a chain: its repository-relative path, what `extends:` called it, and its parsed YAML. */
export interface ChainFile {
  /** `environments/prod.yaml`, `environments/profiles/prod.yaml`. */
  file: string;
  /** `prod`, `profiles/prod`: the name `extends:` uses. */
  ref: string;
  parsed: ParsedYaml;
}

/** Reads a repository-relative file; undefined when it does not exist. */
export type ReadFile = (file: string) => string | undefined;

/** Files may chain this deep; far beyond any sensible layering, short of a runaway. */
const MAX_DEPTH = 16;

/** `profiles/prod` → `environments/profiles/prod.yaml`; `staging` → `environments/staging.yaml`. */
export function fileOfRef(environmentsDir: string, ref: string): string {
  return `${environmentsDir}/${ref}.yaml`;
}

export interface Position {
  file: string;
  line?: number;
  column?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The chain of an environment, the environment's own file first and its furthest ancestor last.
 * A missing target, a bad reference or a cycle is an error at the `extends:` line that names it.
 */
export function resolveChain(environmentsDir: string, name: string, file: string, source: string, read: ReadFile): ChainFile[] {
  const chain: ChainFile[] = [{ file, ref: name, parsed: parseStrictYaml(source, file) }];
  for (;;) {
    const current = chain[chain.length - 1]!;
    const value = current.parsed.value;
    if (!isObject(value) || value.extends === undefined) return chain;
    const where = positionOf(current, ['extends']);
    const ref = value.extends;
    if (typeof ref !== 'string' || !EXTENDS_PATTERN.test(ref)) {
      throw new InputError([{ ...where, field: 'extends', message: 'name a profile as `profiles/<name>` (environments/profiles/<name>.yaml) or an environment as `<name>`' }]);
    }
    const seen = chain.findIndex((c) => c.ref === ref);
    if (seen !== -1) {
      const cycle = [...chain.slice(seen).map((c) => c.ref), ref].join(' → ');
      throw new InputError([{ ...where, field: 'extends', message: `extends cycle: ${cycle}; break it by removing one of these \`extends:\`` }]);
    }
    if (chain.length > MAX_DEPTH) throw new InputError([{ ...where, field: 'extends', message: `more than ${MAX_DEPTH} files deep: ${chain.map((c) => c.ref).join(' → ')}` }]);
    const target = fileOfRef(environmentsDir, ref);
    const text = read(target);
    if (text === undefined) {
      const kind = ref.startsWith(`${PROFILES_DIR}/`) ? 'profile' : 'environment';
      throw new InputError([{ ...where, field: 'extends', message: `no such ${kind}: ${target} does not exist` }]);
    }
    const parsed = parseStrictYaml(text, target);
    if (!isObject(parsed.value)) throw new InputError([{ file: target, line: 1, column: 1, message: `${target} must hold a mapping of environment settings` }]);
    chain.push({ file: target, ref, parsed });
  }
}

/** Maps merge key by key, a later file winning; lists and scalars replace whole (a `patches:` list too). */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeValues(out[k], v) : structuredClone(v);
  return out;
}

/** The merged value of a chain: the furthest ancestor first, the environment's own file last. */
export function mergeChain(chain: readonly ChainFile[]): unknown {
  return [...chain].reverse().reduce<unknown>((acc, c) => (acc === undefined ? structuredClone(c.parsed.value) : mergeValues(acc, c.parsed.value)), undefined);
}

/** How far `path` exists in a document: the node reached and how many segments matched. */
function walk(parsed: ParsedYaml, path: readonly PropertyKey[], preferKey: boolean): { node: Node | undefined; depth: number } {
  let node: unknown = parsed.doc.contents;
  let depth = 0;
  for (const [i, segment] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (pair) next = i === path.length - 1 && preferKey ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined || next === null) break;
    node = next;
    depth += 1;
  }
  return { node: (node ?? undefined) as Node | undefined, depth };
}

function positionOf(c: ChainFile, path: readonly PropertyKey[], preferKey = false): Position {
  const { node } = walk(c.parsed, path, preferKey);
  if (!node?.range) return { file: c.file };
  const { line, col } = c.parsed.lineCounter.linePos(node.range[0]);
  return { file: c.file, line, column: col };
}

/**
 * Where the value at `path` was written: the nearest file of the chain that sets it (the one whose
 * value won the merge). When no file sets it (a default, a missing field), the file that comes
 * closest, the environment's own file winning ties.
 */
export function locate(chain: readonly ChainFile[], path: readonly PropertyKey[], preferKey = false): Position {
  let best = chain[0]!;
  let bestDepth = -1;
  for (const c of chain) {
    const { depth } = walk(c.parsed, path, preferKey);
    if (depth === path.length) return positionOf(c, path, preferKey);
    if (depth > bestDepth) {
      best = c;
      bestDepth = depth;
    }
  }
  return positionOf(best, path, preferKey);
}
