// `npm run schema`: writes environments/schema.json and environments/profiles/schema.json (JSON Schema of an environment file and of a profile) for editor completion.
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isMain, REPO_ROOT, runMain, wantsHelp } from './lib/cli.ts';
import { environmentFileSchema } from './lib/environment/schema.ts';
import { canonicalJson } from './lib/json.ts';

export const SCHEMA_FILE = 'environments/schema.json';
export const PROFILE_SCHEMA_FILE = 'environments/profiles/schema.json';

type JsonSchema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required?: string[] };

/** The input side of the schema: defaulted fields are optional, exactly what a file may omit. */
function inputSchema(): JsonSchema {
  return z.toJSONSchema(environmentFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
}

/**
 * What the merged environment requires (`domain`, `source.repoURL`) may come from the files it
 * extends, so a file owes it only when it has no `extends:`; a profile never owes it.
 */
function withoutMergedRequirements(schema: JsonSchema): { schema: JsonSchema; top: string[]; source: string[] } {
  const { required: top = [], ...rest } = schema;
  const { required: source = [], ...sourceRest } = schema.properties.source as { required?: string[] };
  return { schema: { ...rest, properties: { ...schema.properties, source: sourceRest } } as JsonSchema, top, source };
}

export function environmentJsonSchema(): string {
  const { schema, top, source } = withoutMergedRequirements(inputSchema());
  const ownRequirements = { if: { not: { required: ['extends'] } }, then: { required: top, properties: { source: { required: source } } } };
  return canonicalJson({ ...schema, ...ownRequirements, title: 'OroCommerce GitOps environment', $id: 'https://orocommerce-gitops/environments/schema.json' });
}

export function profileJsonSchema(): string {
  const { schema } = withoutMergedRequirements(inputSchema());
  return canonicalJson({ ...schema, title: 'OroCommerce GitOps environment profile', $id: 'https://orocommerce-gitops/environments/profiles/schema.json' });
}

const USAGE = `usage: npm run schema
  Writes ${SCHEMA_FILE} and ${PROFILE_SCHEMA_FILE} (the JSON Schemas of an environment file and of a
  profile, for editor completion) from scripts/lib/environment/schema.ts. No options.
exit codes: 0 written, 2 usage error, 3 bug, 4 file-system error`;

/** Writes beside, then renames: a full disk or a kill never leaves a truncated schema. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const target = path.join(REPO_ROOT, file);
  await writeFile(`${target}.${process.pid}.tmp`, text);
  await rename(`${target}.${process.pid}.tmp`, target).catch(async (e: unknown) => {
    await rm(`${target}.${process.pid}.tmp`, { force: true });
    throw e;
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown argument ${argv[0]}\n\n${USAGE}\n`);
    return 2;
  }
  await writeAtomically(SCHEMA_FILE, environmentJsonSchema());
  await writeAtomically(PROFILE_SCHEMA_FILE, profileJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE} and ${PROFILE_SCHEMA_FILE}\n`);
  return 0;
}

if (isMain(import.meta.url)) await runMain(main, SCHEMA_FILE);
