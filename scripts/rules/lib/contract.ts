// Annotations on an environment's Namespace that tell validation what lives outside the rendered tree.
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { PREEXISTING_SECRETS_ANNOTATION, SINGLE_NODE_ANNOTATION } from '../../lib/argocd/namespace.ts';
import { annotation, ofKind } from './access.ts';

function namespaceDoc(docs: readonly RenderedDoc[], namespace: string): RenderedDoc | undefined {
  return ofKind(docs, 'Namespace').find((d) => d.object.metadata.name === namespace);
}

/** `topology.singleNode`: ReadWriteOnce volumes attach to one node, so every pod of the environment may share them. */
export function isSingleNode(docs: readonly RenderedDoc[], namespace: string): boolean {
  const ns = namespaceDoc(docs, namespace);
  return ns !== undefined && annotation(ns, SINGLE_NODE_ANNOTATION) === 'true';
}

/**
 * Secrets an environment with `secrets.provider: preexisting` expects to be created out of band, listed
 * (comma-separated) on its Namespace: validation then tells a deliberate out-of-band Secret from a dangling name.
 */
export function preexistingSecrets(docs: readonly RenderedDoc[], namespace: string): Set<string> {
  const ns = namespaceDoc(docs, namespace);
  const list = ns ? (annotation(ns, PREEXISTING_SECRETS_ANNOTATION) ?? '') : '';
  return new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''));
}
