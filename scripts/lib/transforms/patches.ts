// Applies an environment's `patches:` (RFC 7386 merge patch or RFC 6902 JSON patch) to the rendered objects.
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { InputError } from '../errors.ts';
import type { Patch } from '../environment/patches.ts';
import type { KubernetesObject } from '../k8s.ts';
import { podTemplateOf, POD_TEMPLATE_PATHS } from './pod-templates.ts';

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const base: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

function matches(o: KubernetesObject, t: Patch['target']): boolean {
  return o.kind === t.kind && o.metadata.name === t.name && (t.namespace === undefined || o.metadata.namespace === t.namespace);
}

/**
 * Applies every patch in order. A patch whose target matches no object, or whose JSON patch fails
 * (a `test` that does not hold, a path that does not exist), is an error naming the patch's index.
 */
export function applyPatches(objects: readonly KubernetesObject[], patches: readonly Patch[], file: string): KubernetesObject[] {
  let result = [...objects];
  patches.forEach((patch, index) => {
    const field = `patches[${index}]`;
    const hits = result.filter((o) => matches(o, patch.target));
    if (hits.length === 0) {
      throw new InputError([{ file, field, message: `matches no rendered object (${patch.target.kind}/${patch.target.name}); check the kind and name in rendered/` }]);
    }
    result = result.map((o) => (matches(o, patch.target) ? assertPodTemplate(applyOne(o, patch, file, field), file, field) : o));
  });
  return result;
}

function applyOne(o: KubernetesObject, patch: Patch, file: string, field: string): KubernetesObject {
  if ('mergePatch' in patch) return mergePatch(o, patch.mergePatch) as KubernetesObject;
  try {
    return fastJsonPatch.applyPatch(structuredClone(o), patch.jsonPatch as Operation[], true, false).newDocument;
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InputError([{ file, field, message: `JSON patch on ${o.kind}/${o.metadata.name} failed: ${reason}` }]);
  }
}

/**
 * A patch may change a pod template but must leave it a pod: without `containers` every later step
 * (labels, quota, validation) and Kubernetes itself would fail, so say which patch did it.
 */
function assertPodTemplate(o: KubernetesObject, file: string, field: string): KubernetesObject {
  const path = POD_TEMPLATE_PATHS[o.kind];
  if (path === undefined) return o;
  const template = podTemplateOf(o) as { spec?: { containers?: unknown } } | undefined;
  const containers = template?.spec?.containers;
  if (Array.isArray(containers) && containers.length > 0 && containers.every((c) => c !== null && typeof c === 'object' && !Array.isArray(c))) return o;
  const where = [path, 'spec.containers'].filter(Boolean).join('.');
  throw new InputError([{ file, field, message: `leaves ${o.kind}/${o.metadata.name} without a list of containers at ${where}; patch single containers (for example /spec/template/spec/containers/0/...) instead of removing or replacing the list` }]);
}
