// Loads environments/<name>.yaml: strict YAML, schema validation, defaults, errors with file:line:column.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InputError, formatPath, type InputErrorDetail } from '../errors.ts';
import { nodeAt, parseStrictYaml, type ParsedYaml } from '../yaml.ts';
import { completeEnvironment, ENV_NAME_PATTERN, environmentFileSchema, type Environment } from './schema.ts';

export const ENVIRONMENTS_DIR = 'environments';

/** Checks an environment name before it is ever joined into a path (no `..`, no `/`, no uppercase). */
export function assertEnvironmentName(name: string, file: string): void {
  if (!ENV_NAME_PATTERN.test(name)) {
    throw new InputError([{ file, message: `"${name}" is not a valid environment name: use 1–51 lowercase letters, digits and inner dashes (it becomes the namespace suffix orocommerce-<name>)` }]);
  }
}

/** Validates parsed YAML against the environment schema; pure, so tests can feed it any source text. */
export function parseEnvironment(name: string, source: string, file: string): Environment {
  assertEnvironmentName(name, file);
  const parsed = parseStrictYaml(source, file);
  const result = environmentFileSchema.safeParse(parsed.value, { reportInput: true });
  if (!result.success) throw new InputError(result.error.issues.map((issue) => describeIssue(issue, parsed, file)));
  return completeEnvironment(name, result.data);
}

function describeIssue(issue: z.core.$ZodIssue, parsed: ParsedYaml, file: string): InputErrorDetail {
  const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const fieldPath = unknownKeys.length > 0 ? [...issue.path, unknownKeys[0]!] : issue.path;
  const node = nodeAt(parsed.doc, fieldPath, unknownKeys.length > 0);
  const pos = node?.range ? parsed.lineCounter.linePos(node.range[0]) : undefined;
  return {
    file,
    ...(pos ? { line: pos.line, column: pos.col } : {}),
    field: formatPath(fieldPath) || '(top level)',
    message: issueMessage(issue, unknownKeys),
  };
}

function issueMessage(issue: z.core.$ZodIssue, unknownKeys: readonly string[]): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')}: check the spelling against environments/schema.json`;
    case 'invalid_type':
      return issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
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

/** Reads and validates one environment by name from `<root>/environments/<name>.yaml`. */
export async function loadEnvironment(root: string, name: string): Promise<Environment> {
  const file = path.posix.join(ENVIRONMENTS_DIR, `${name}.yaml`);
  assertEnvironmentName(name, file);
  let source: string;
  try {
    source = await readFile(path.join(root, file), 'utf8');
  } catch {
    const known = await listEnvironmentNames(root);
    throw new InputError([{ file, message: `no such environment; known environments: ${known.join(', ') || '(none)'}` }]);
  }
  return parseEnvironment(name, source, file);
}

/** Environment names in `<root>/environments`, sorted; any other `.yaml` file name is an error. */
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

/** Loads several environments, collecting every file's errors before failing. */
export async function loadEnvironments(root: string, names: readonly string[]): Promise<Environment[]> {
  const results = await Promise.allSettled(names.map((n) => loadEnvironment(root, n)));
  const errors = results.flatMap((r) => (r.status === 'rejected' ? (r.reason instanceof InputError ? r.reason.details : [] ) : []));
  const unexpected = results.find((r) => r.status === 'rejected' && !(r.reason instanceof InputError));
  if (unexpected && unexpected.status === 'rejected') throw unexpected.reason;
  if (errors.length > 0) throw new InputError(errors);
  return results.map((r) => (r as PromiseFulfilledResult<Environment>).value);
}

/** `patches[0].target` → `['patches', 0, 'target']`, the inverse of formatPath. */
export function parseFieldPath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/**
 * Errors raised after loading (a patch that matches nothing, a component that refuses a value) name
 * the field but not the line: find the field in the environment file and add where it is.
 */
export async function locateDetails(root: string, error: InputError): Promise<InputError> {
  const details = await Promise.all(
    error.details.map(async (d) => {
      if (d.line !== undefined || d.field === undefined || !d.file.startsWith(`${ENVIRONMENTS_DIR}/`)) return d;
      const source = await readFile(path.join(root, d.file), 'utf8').catch(() => undefined);
      if (source === undefined) return d;
      const parsed = parseStrictYaml(source, d.file);
      const range = nodeAt(parsed.doc, parseFieldPath(d.field))?.range;
      if (!range) return d;
      const { line, col } = parsed.lineCounter.linePos(range[0]);
      return { ...d, line, column: col };
    }),
  );
  return new InputError(details);
}
