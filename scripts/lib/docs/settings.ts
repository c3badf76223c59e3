// Environment settings named in prose (`web.publicPort`, `db.backup.*`) must exist in the environment schema.
import { remark } from 'remark';
import { visit } from 'unist-util-visit';
import type { DocFinding } from './links.ts';

/** The slice of JSON Schema that environments/schema.json uses to describe objects. */
export interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

const FILE_SUFFIX = /\.(ts|mjs|js|json|ya?ml|md|lua|sh|txt)$/;
const SETTING = /^[a-z][\w-]*(\.[\w*-]+)+$/;

/** The children a node allows under `key`: undefined when none, 'any' for a free-form map. */
function child(node: SchemaNode, key: string): SchemaNode[] | 'any' {
  const alternatives = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  const found = alternatives.flatMap((n) => (n.properties?.[key] ? [n.properties[key]] : []));
  if (found.length > 0) return found;
  return alternatives.some((n) => typeof n.additionalProperties === 'object') ? 'any' : [];
}

/** Whether the dotted path (`*` allowed as the last segment) names a setting of the schema. */
export function settingExists(schema: SchemaNode, dotted: string): boolean {
  let nodes: SchemaNode[] = [schema];
  for (const key of dotted.split('.')) {
    if (key === '*') return true;
    const next = nodes.map((n) => child(n, key));
    if (next.includes('any')) return true;
    nodes = next.flat() as SchemaNode[];
    if (nodes.length === 0) return false;
  }
  return true;
}

/**
 * Code spans that look like a setting path rooted at a top-level environment key (`web.publicPort`,
 * `init-jobs.mode: restore`) and name nothing in the schema. File names (`secrets.ts`) and anything
 * with a slash (`app.kubernetes.io/version`) are not settings.
 */
export function unknownSettings(file: string, markdown: string, schema: SchemaNode): DocFinding[] {
  const roots = new Set(Object.keys(schema.properties ?? {}));
  const findings: DocFinding[] = [];
  visit(remark().parse(markdown), 'inlineCode', (node) => {
    const dotted = node.value.split(':')[0]!.trim();
    if (!SETTING.test(dotted) || FILE_SUFFIX.test(dotted) || !roots.has(dotted.split('.')[0]!)) return;
    if (!settingExists(schema, dotted)) {
      findings.push({
        file,
        line: node.position?.start.line ?? 0,
        message: `\`${dotted}\` is not an environment setting (environments/schema.json)`,
      });
    }
  });
  return findings;
}
