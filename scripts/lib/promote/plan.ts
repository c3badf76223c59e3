// What a promotion changes: the source environment's image tags/digests and chart versions the target does not run yet.
import type { Environment } from '../environment/schema.ts';

export type PromotionKind = 'image' | 'chart';

export const PROMOTION_KINDS: readonly PromotionKind[] = ['image', 'chart'];

export type ValuePath = readonly string[];

export interface Change {
  kind: PromotionKind;
  /** Path in the environment file, e.g. `['oro', 'image', 'tag']`. */
  path: ValuePath;
  /** The target's effective value (defaults applied); undefined when unset. */
  from: string | undefined;
  /** The value to write; undefined removes the key (a digest the source does not pin). */
  to: string | undefined;
}

export interface Plan {
  changes: Change[];
  /** Things a reviewer should know that the promotion does not change (e.g. different repositories). */
  warnings: string[];
}

/** Promoted whether or not the source file sets them: the application and its init image ship together. */
const ORO_IMAGES: readonly ValuePath[] = [
  ['oro', 'image'],
  ['oro', 'initImage'],
];

interface ImageValue {
  repository: string;
  tag: string;
  digest?: string | undefined;
}

export function getPath(value: unknown, path: ValuePath): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `{repository, tag, digest?}` and nothing else: the shape every image setting has (fields.ts `image()`). */
export function isImage(value: unknown): value is ImageValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  const v = value as Record<string, unknown>;
  return keys.every((k) => k === 'repository' || k === 'tag' || k === 'digest') && typeof v.repository === 'string' && typeof v.tag === 'string' && (v.digest === undefined || typeof v.digest === 'string');
}

/** Paths to every mapping in a parsed file (the file's own keys, in file order). */
function mappingPaths(value: unknown, prefix: ValuePath = []): ValuePath[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => mappingPaths(v, [...prefix, k]))];
}

/** Paths ending in `chartVersion` in effective values, so a chart added to any component is promoted too. */
function chartVersionPaths(value: unknown, prefix: ValuePath = []): ValuePath[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'chartVersion' && typeof v === 'string' ? [[...prefix, k]] : chartVersionPaths(v, [...prefix, k])));
}

const same = (a: ValuePath, b: ValuePath) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The Oro images plus every image setting the source file sets (a pinned exporter or database image). */
export function imagePaths(source: Environment, sourceFile: unknown): ValuePath[] {
  const set = mappingPaths(sourceFile).filter((p) => p.length > 0 && isImage(getPath(source, p)));
  return [...ORO_IMAGES, ...set.filter((p) => !ORO_IMAGES.some((o) => same(o, p)))];
}

/**
 * Compares effective values: a tag the target already runs (set in its file or by default) is not
 * rewritten. The repository is not promoted (environments may pull through different mirrors); a
 * difference is reported as a warning.
 */
export function planPromotion(source: Environment, target: Environment, sourceFile: unknown, only?: PromotionKind): Plan {
  const changes: Change[] = [];
  const warnings: string[] = [];
  if (only === undefined || only === 'image') {
    for (const p of imagePaths(source, sourceFile)) {
      const s = getPath(source, p);
      const t = getPath(target, p);
      if (!isImage(s) || !isImage(t)) continue;
      if (s.tag !== t.tag) changes.push({ kind: 'image', path: [...p, 'tag'], from: t.tag, to: s.tag });
      if (s.digest !== t.digest) changes.push({ kind: 'image', path: [...p, 'digest'], from: t.digest, to: s.digest });
      if (s.repository !== t.repository) warnings.push(`${p.join('.')}: ${source.name} pulls ${s.repository}, ${target.name} pulls ${t.repository}; repositories are not promoted, so check that ${t.repository} has this tag`);
    }
  }
  if (only === undefined || only === 'chart') {
    for (const p of chartVersionPaths(source)) {
      const s = getPath(source, p);
      const t = getPath(target, p);
      if (typeof s === 'string' && s !== t) changes.push({ kind: 'chart', path: p, from: typeof t === 'string' ? t : undefined, to: s });
    }
  }
  return { changes, warnings };
}

/** `oro.image.tag: 6.1.5 → 6.1.6`. */
export function describeChange(c: Change): string {
  return `${c.path.join('.')}: ${c.from ?? '(unset)'} → ${c.to ?? '(removed)'}`;
}
