// What a pod template refers to by name (ConfigMaps, Secrets, claims, its ServiceAccount) and where those come from.
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { arr, lookup, namespaceOf, ofKind, rec, str, type Json } from './access.ts';
import { preexistingSecrets } from './contract.ts';
import { containers, type PodTemplate } from './workloads.ts';

export type RefKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

export interface Ref {
  kind: RefKind;
  name: string;
  /** Keys the reference reads (`configMapKeyRef.key`, volume `items[].key`). */
  keys: string[];
  optional: boolean;
  path: string;
}

function keysOf(items: unknown): string[] {
  return arr(items).flatMap((i) => str(rec(i).key) ?? []);
}

/** Volumes name a Secret by `secretName`, projected sources by `name`. */
function sourceRefs(source: Json, path: string, secretNameField: 'secretName' | 'name'): Ref[] {
  const fields = [['ConfigMap', 'configMap', 'name'], ['Secret', 'secret', secretNameField]] as const;
  return fields.flatMap(([kind, field, nameField]) => {
    const r = rec(source[field]);
    const name = str(r[nameField]);
    return name ? [{ kind, name, keys: keysOf(r.items), optional: r.optional === true, path: `${path}.${field}.${nameField}` }] : [];
  });
}

export function podReferences(t: PodTemplate): Ref[] {
  const refs: Ref[] = [];
  arr(t.spec.volumes).forEach((v, i) => {
    const volume = rec(v);
    const path = `${t.specPath}.volumes[${i}]`;
    refs.push(...sourceRefs(volume, path, 'secretName'));
    arr(rec(volume.projected).sources).forEach((s, j) => refs.push(...sourceRefs(rec(s), `${path}.projected.sources[${j}]`, 'name')));
    const claim = str(rec(volume.persistentVolumeClaim).claimName);
    if (claim) refs.push({ kind: 'PersistentVolumeClaim', name: claim, keys: [], optional: false, path: `${path}.persistentVolumeClaim.claimName` });
  });
  for (const c of containers(t)) {
    arr(c.container.env).forEach((e, i) => {
      const from = rec(rec(e).valueFrom);
      for (const [field, kind] of [['configMapKeyRef', 'ConfigMap'], ['secretKeyRef', 'Secret']] as const) {
        const r = rec(from[field]);
        const name = str(r.name);
        const key = str(r.key);
        if (name) refs.push({ kind, name, keys: key ? [key] : [], optional: r.optional === true, path: `${c.path}.env[${i}].valueFrom.${field}.name` });
      }
    });
    arr(c.container.envFrom).forEach((e, i) => {
      for (const [field, kind] of [['configMapRef', 'ConfigMap'], ['secretRef', 'Secret']] as const) {
        const r = rec(rec(e)[field]);
        const name = str(r.name);
        if (name) refs.push({ kind, name, keys: [], optional: r.optional === true, path: `${c.path}.envFrom[${i}].${field}.name` });
      }
    });
  }
  arr(t.spec.imagePullSecrets).forEach((s, i) => {
    const name = str(rec(s).name);
    if (name) refs.push({ kind: 'Secret', name, keys: [], optional: false, path: `${t.specPath}.imagePullSecrets[${i}].name` });
  });
  const sa = str(t.spec.serviceAccountName);
  if (sa && sa !== 'default') refs.push({ kind: 'ServiceAccount', name: sa, keys: [], optional: false, path: `${t.specPath}.serviceAccountName` });
  return refs;
}

/** ExternalSecrets create a Secret named `spec.target.name`, or after themselves. */
function externalSecretTarget(doc: RenderedDoc): string {
  return str(rec(rec(doc.object.spec).target).name) ?? doc.object.metadata.name;
}

/** The rendered object that provides what `ref` names, or `'preexisting'` for a declared out-of-band Secret. */
export function resolve(ref: Ref, namespace: string, docs: readonly RenderedDoc[]): RenderedDoc | 'preexisting' | undefined {
  const direct = lookup(docs, ref.kind, namespace, ref.name);
  if (direct || ref.kind !== 'Secret') return direct;
  const external = ofKind(docs, 'ExternalSecret').find((d) => namespaceOf(d) === namespace && externalSecretTarget(d) === ref.name);
  if (external) return external;
  return preexistingSecrets(docs, namespace).has(ref.name) ? 'preexisting' : undefined;
}

/** Keys the provider is known to hold, or `undefined` when they cannot be known from the rendered tree. */
export function providedKeys(provider: RenderedDoc): Set<string> | undefined {
  const o = provider.object;
  if (o.kind === 'ConfigMap' || o.kind === 'Secret') return new Set([...Object.keys(rec(o.data)), ...Object.keys(rec(o.binaryData)), ...Object.keys(rec(o.stringData))]);
  if (o.kind !== 'ExternalSecret') return undefined;
  const spec = rec(o.spec);
  const template = rec(rec(spec.target).template);
  if (spec.dataFrom !== undefined || template.templateFrom !== undefined) return undefined;
  const fetched = arr(spec.data).flatMap((d) => str(rec(d).secretKey) ?? []);
  if (template.data === undefined) return new Set(fetched);
  return new Set([...Object.keys(rec(template.data)), ...(template.mergePolicy === 'Merge' ? fetched : [])]);
}
