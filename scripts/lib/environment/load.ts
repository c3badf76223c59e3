// Loads environments/<name>.yaml: strict YAML, `extends:` chains, schema validation, defaults, errors with file:line:column.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InputError, formatPath, type InputErrorDetail } from '../errors.ts';
import { locate, mergeChain, PROFILES_DIR, resolveChain, type ChainFile, type Position, type ReadFile } from './extends.ts';
import { FLEET_CHECKS } from './fleet-checks.ts';
import { completeEnvironment, ENV_NAME_PATTERN, environmentFileSchema, type Environment } from './schema.ts';

export const ENVIRONMENTS_DIR = 'environments';

/** An environment with the files it was built from, so any later error can point at the line that set a value. */
export interface LoadedEnvironment {
  env: Environment;
  /** `environments/<name>.yaml`. */
  file: string;
  /** The environment's own file first, then each file it extends, in order. */
  chain: readonly ChainFile[];
  /** Where the value at `path` (e.g. `['destination', 'namespace']`) was written. */
  locate(path: readonly PropertyKey[]): Position;
}

/** Checks an environment name before it is ever joined into a path (no `..`, no `/`, no uppercase). */
export function assertEnvironmentName(name: string, file: string): void {
  if (!ENV_NAME_PATTERN.test(name)) {
    throw new InputError([{ file, message: `"${name}" is not a valid environment name: use 1–51 lowercase letters, digits and inner dashes (it becomes the namespace suffix orocommerce-<name>)` }]);
  }
}

const noFiles: ReadFile = () => undefined;

/** Reads files under `root`, each at most once per load (a profile shared by 500 environments is parsed from one read). */
export function fileReader(root: string): ReadFile {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.join(root, file), 'utf8');
      } catch {
        text = undefined;
      }
      cache.set(file, text);
    }
    return cache.get(file);
  };
}

/**
 * Resolves `extends:`, merges the chain and validates the result; pure apart from `read`, so tests can
 * feed any source text. Errors name the file of the chain where the offending value was written.
 */
export function parseLoadedEnvironment(name: string, source: string, file: string, read: ReadFile = noFiles): LoadedEnvironment {
  assertEnvironmentName(name, file);
  const chain = resolveChain(ENVIRONMENTS_DIR, name, file, source, read);
  const result = environmentFileSchema.safeParse(mergeChain(chain), { reportInput: true });
  if (!result.success) throw new InputError(result.error.issues.map((issue) => describeIssue(issue, chain)));
  return { env: completeEnvironment(name, result.data), file, chain, locate: (p) => locate(chain, p) };
}

/** parseLoadedEnvironment, for callers that need only the values. */
export function parseEnvironment(name: string, source: string, file: string, read: ReadFile = noFiles): Environment {
  return parseLoadedEnvironment(name, source, file, read).env;
}

function describeIssue(issue: z.core.$ZodIssue, chain: readonly ChainFile[]): InputErrorDetail {
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const fieldPath = unknownKeys.length > 0 ? [...issue.path, unknownKeys[0]!] : issue.path;
  return {
    ...locate(chain, fieldPath, unknownKeys.length > 0),
    field: formatPath(fieldPath) || '(top level)',
    message: issueMessage(issue, unknownKeys),
  };
}

function issueMessage(issue: z.core.$ZodIssue, unknownKeys: readonly string[]): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')}: check the spelling against environments/schema.json`;
    case 'invalid_type':
      if (issue.input === undefined) return issue.message.startsWith('required:') ? issue.message : `required: expected ${issue.expected}`;
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return `${issue.message}`;
    case 'invalid_union':
      return 'does not match any allowed form (a patch needs `target` plus either `mergePatch` or `jsonPatch`)';
    default:
      return issue.message;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

async function loadOne(root: string, name: string, read: ReadFile): Promise<LoadedEnvironment> {
  const file = path.posix.join(ENVIRONMENTS_DIR, `${name}.yaml`);
  assertEnvironmentName(name, file);
  const source = read(file);
  if (source === undefined) {
    const known = await listEnvironmentNames(root);
    throw new InputError([{ file, message: `no such environment; known environments: ${known.join(', ') || '(none)'}` }]);
  }
  return parseLoadedEnvironment(name, source, file, read);
}

/** Reads and validates one environment by name from `<root>/environments/<name>.yaml` (and what it extends). */
export async function loadEnvironment(root: string, name: string): Promise<Environment> {
  return (await loadOne(root, name, fileReader(root))).env;
}

/**
 * Environment names in `<root>/environments`, sorted; any other `.yaml` file name is an error. Only
 * files directly in the folder are environments: profiles live in environments/profiles/.
 */
export async function listEnvironmentNames(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, ENVIRONMENTS_DIR), { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const file = path.posix.join(ENVIRONMENTS_DIR, entry.name);
    if (!entry.name.endsWith('.yaml')) throw new InputError([{ file, message: 'environment files end in `.yaml`; rename it' }]);
    const name = entry.name.slice(0, -'.yaml'.length);
    assertEnvironmentName(name, file);
    names.push(name);
  }
  return names.sort();
}

/** Profile names (`profiles/<name>`) in `<root>/environments/profiles`, sorted; none when the folder does not exist. */
export async function listProfileRefs(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, ENVIRONMENTS_DIR, PROFILES_DIR), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => `${PROFILES_DIR}/${e.name.slice(0, -'.yaml'.length)}`)
    .sort();
}

/** One line per problem: a profile error shared by 500 environments is reported once. */
function unique(details: readonly InputErrorDetail[]): InputErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.field, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Loads several environments with their source positions, collecting every file's errors before
 * failing, then runs the checks that need all of them at once (two environments in one namespace).
 */
export async function loadFleet(root: string, names: readonly string[], read: ReadFile = fileReader(root)): Promise<LoadedEnvironment[]> {
  const results = await Promise.allSettled(names.map((n) => loadOne(root, n, read)));
  const unexpected = results.find((r) => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected && unexpected.status === 'rejected') throw unexpected.reason;
  const errors = results.flatMap((r) => (r.status === 'rejected' ? (r.reason as InputError).details : []));
  if (errors.length > 0) throw new InputError(unique(errors));
  const loaded = results.map((r) => (r as PromiseFulfilledResult<LoadedEnvironment>).value);
  const findings = unique(FLEET_CHECKS.flatMap((check) => check(loaded)));
  if (findings.length > 0) throw new InputError(findings);
  return loaded;
}

/** Loads several environments, collecting every file's errors before failing. */
export async function loadEnvironments(root: string, names: readonly string[]): Promise<Environment[]> {
  return (await loadFleet(root, names)).map((l) => l.env);
}

/** `patches[0].target` → `['patches', 0, 'target']`, the inverse of formatPath. */
export function parseFieldPath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * Errors raised after loading (a patch that matches nothing, a component that refuses a value) name
 * the environment file and the field but not the line: find the file of the chain that wrote the
 * field (the environment's own or one it extends) and where.
 */
export async function locateDetails(root: string, error: InputError): Promise<InputError> {
  const read = fileReader(root);
  const details = await Promise.all(
    error.details.map(async (d) => {
      const match = new RegExp(`^${ENVIRONMENTS_DIR}/([^/]+)\\.yaml$`).exec(d.file);
      if (d.line !== undefined || d.field === undefined || !match) return d;
      const source = read(d.file);
      if (source === undefined) return d;
      try {
        const chain = resolveChain(ENVIRONMENTS_DIR, match[1]!, d.file, source, read);
        return { ...d, ...locate(chain, parseFieldPath(d.field)) };
      } catch {
        return d;
      }
    }),
  );
  return new InputError(details);
}

