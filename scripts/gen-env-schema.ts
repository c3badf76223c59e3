// `npm run schema`: writes environments/schema.json (JSON Schema of an environment file) for editor completion.
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isMain, REPO_ROOT, reportError, wantsHelp } from './lib/cli.ts';
import { environmentFileSchema } from './lib/environment/schema.ts';
import { canonicalJson } from './lib/json.ts';

export const SCHEMA_FILE = 'environments/schema.json';

/** The input side of the schema: defaulted fields are optional, exactly what a file may omit. */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return canonicalJson({ ...schema, title: 'OroCommerce GitOps environment', $id: 'https://orocommerce-gitops/environments/schema.json' });
}

const USAGE = `usage: npm run schema
  Writes ${SCHEMA_FILE} (the JSON Schema of an environment file, for editor completion) from
  scripts/lib/environment/schema.ts. No options.
exit codes: 0 written, 2 usage error, 3 bug, 4 file-system error`;

export async function main(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown argument ${argv[0]}\n\n${USAGE}\n`);
    return 2;
  }
  // Write beside, then rename: a full disk or a kill never leaves a truncated schema.
  const target = path.join(REPO_ROOT, SCHEMA_FILE);
  await writeFile(`${target}.${process.pid}.tmp`, environmentJsonSchema());
  await rename(`${target}.${process.pid}.tmp`, target).catch(async (e: unknown) => {
    await rm(`${target}.${process.pid}.tmp`, { force: true });
    throw e;
  });
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  return 0;
}

if (isMain(import.meta.url)) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.exitCode = reportError(e, undefined, SCHEMA_FILE);
  }
}
