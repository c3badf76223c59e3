// Writes promoted values into an environment file's text, keeping its comments, order, quoting and spacing.
import { isMap, isScalar, parseDocument, Scalar, type Document } from 'yaml';
import type { Change, ValuePath } from './plan.ts';

/** True when `value` written plain reads back as the same string under YAML 1.2 and 1.1 (no `no`, `1.10`, `0777`). */
export function plainIsSafe(value: string): boolean {
  const doc = parseDocument(value, { schema: 'core', compat: 'yaml-1.1' });
  return doc.errors.length === 0 && doc.warnings.length === 0 && isScalar(doc.contents) && doc.contents.value === value && !value.includes('#');
}

/** The scalar as it will appear in the file: the existing quote style, or double quotes when plain would misread. */
function scalarText(value: string, type: Scalar.Type | undefined): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  return type === Scalar.QUOTE_DOUBLE || !plainIsSafe(value) ? JSON.stringify(value) : value;
}

function newScalar(value: string): Scalar<string> {
  const node = new Scalar(value);
  if (!plainIsSafe(value)) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/** The `# renovate:` line above a key (yaml attaches it to the map when the key comes first). */
function renovateComment(doc: Document, path: ValuePath): string | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const index = parent.items.findIndex((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
  const pair = parent.items[index];
  if (!pair) return undefined;
  const comment = (isScalar(pair.key) ? pair.key.commentBefore : undefined) ?? (index === 0 ? parent.commentBefore : undefined);
  const lines = (comment ?? '').split('\n').filter((l) => l.trimStart().startsWith('renovate:'));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** Existing scalars whose value changes: spliced into the text by offset, so every other byte stays. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

function splices(doc: Document, changes: readonly Change[]): Splice[] | undefined {
  const out: Splice[] = [];
  for (const c of changes) {
    const node = doc.getIn(c.path, true);
    if (c.to === undefined || !isScalar(node) || !node.range) return undefined;
    out.push({ start: node.range[0], end: node.range[1], text: scalarText(c.to, node.type) });
  }
  return out;
}

export interface Edited {
  text: string;
  /** True when yaml's writer also normalised hand formatting elsewhere (spacing, blank lines, flow style). */
  reformatted: boolean;
}

const WRITE_OPTIONS = { lineWidth: 0 } as const;

/**
 * Applies the changes to `target` (an environment file). When every change replaces a value the file
 * already has, only those values change, byte for byte. Adding or removing keys goes through yaml's
 * Document API, which keeps comments and order (and reproduces this repository's files exactly); a
 * new key gets the source's `# renovate:` line, so Renovate keeps bumping it.
 */
export function editEnvironmentFile(target: string, changes: readonly Change[], source: string): Edited {
  const doc = parseDocument(target);
  const inPlace = splices(doc, changes);
  if (inPlace) return { text: inPlace.sort((a, b) => b.start - a.start).reduce((text, s) => text.slice(0, s.start) + s.text + text.slice(s.end), target), reformatted: false };
  const reformatted = doc.toString(WRITE_OPTIONS) !== target;
  const sourceDoc = parseDocument(source);
  for (const c of changes) {
    const node = doc.getIn(c.path, true);
    if (c.to === undefined) {
      doc.deleteIn(c.path);
      pruneEmptyParents(doc, c.path);
    } else if (isScalar(node)) {
      node.value = c.to;
      if (node.type === Scalar.PLAIN && !plainIsSafe(c.to)) node.type = Scalar.QUOTE_DOUBLE;
    } else {
      doc.setIn(c.path, newScalar(c.to));
      attachComment(doc, c.path, renovateComment(sourceDoc, c.path));
    }
  }
  return { text: doc.toString(WRITE_OPTIONS), reformatted };
}

function attachComment(doc: Document, path: ValuePath, comment: string | undefined): void {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (comment === undefined || !isMap(parent)) return;
  const name = path[path.length - 1]!;
  const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === name);
  if (!pair) return;
  // A key set into an existing mapping is a bare string, which cannot carry a comment.
  const key = isScalar(pair.key) ? pair.key : new Scalar(name);
  key.commentBefore = comment;
  pair.key = key;
}

/** Removing the only key of `image:` would leave `image: {}`; drop the emptied mappings instead. */
function pruneEmptyParents(doc: Document, path: ValuePath): void {
  for (let p = path.slice(0, -1); p.length > 0; p = p.slice(0, -1)) {
    const node = doc.getIn(p, true);
    if (!isMap(node) || node.items.length > 0) return;
    doc.deleteIn(p);
  }
}
