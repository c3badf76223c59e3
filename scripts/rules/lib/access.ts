// Defensive readers for parsed YAML: a rule reports malformed input through the schema layer, it never crashes on it.
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { WAVES } from '../../../apps/waves.ts';

export type Json = Record<string, unknown>;

export function rec(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** String-valued entries of a map such as `labels` or `data`; other values are the schema layer's business. */
export function strings(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function ofKind(docs: readonly RenderedDoc[], ...kinds: string[]): RenderedDoc[] {
  return docs.filter((d) => kinds.includes(d.object.kind));
}

export function namespaceOf(doc: RenderedDoc): string {
  return doc.object.metadata.namespace ?? '';
}

/** The document of `kind`/`name` in `namespace`, if rendered. */
export function lookup(docs: readonly RenderedDoc[], kind: string, namespace: string, name: string): RenderedDoc | undefined {
  return docs.find((d) => d.object.kind === kind && d.object.metadata.name === name && namespaceOf(d) === namespace);
}

export function annotation(doc: RenderedDoc, key: string): string | undefined {
  return doc.object.metadata.annotations?.[key];
}

/** Wave of the component folder a document sits in; `undefined` for apps/, bootstrap/ and anything outside the chain. */
export function waveOf(doc: RenderedDoc): number | undefined {
  return Object.hasOwn(WAVES, doc.component) ? (WAVES as Readonly<Record<string, number>>)[doc.component] : undefined;
}

/** `Kind/name`, the way findings and messages name another object. */
export function ref(doc: RenderedDoc): string {
  return `${doc.object.kind}/${doc.object.metadata.name}`;
}
