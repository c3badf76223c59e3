// `npm run schema`: writes environments/schema.json (JSON Schema of an environment file) for editor completion.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isMain, REPO_ROOT } from './lib/cli.ts';
import { environmentFileSchema } from './lib/environment/schema.ts';
import { canonicalJson } from './lib/json.ts';

export const SCHEMA_FILE = 'environments/schema.json';

/** The input side of the schema: defaulted fields are optional, exactly what a file may omit. */
export function environmentJsonSchema(): string {
  const schema = z.toJSONSchema(environmentFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return canonicalJson({ ...schema, title: 'OroCommerce GitOps environment', $id: 'https://orocommerce-gitops/environments/schema.json' });
}

if (isMain(import.meta.url)) {
  await writeFile(path.join(REPO_ROOT, SCHEMA_FILE), environmentJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
