// The shape every rendered object shares, plus the typed CRDs that @kubernetes/client-node does not model.
import type { V1LabelSelector, V1ObjectMeta } from '@kubernetes/client-node';

/** Any Kubernetes object the pipeline handles: apiVersion, kind and a named metadata block. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string };
  [field: string]: unknown;
}

/** Narrows a client-node model (whose apiVersion/kind are optional) to a pipeline object. */
export type Manifest<T> = T & { apiVersion: string; kind: string; metadata: V1ObjectMeta & { name: string } };

/** Builds a client-node model with apiVersion and kind, keeping its type so callers can read fields back. */
export function typed<T extends { metadata?: V1ObjectMeta }>(
  apiVersion: string,
  kind: string,
  body: T & { metadata: V1ObjectMeta & { name: string } },
): Manifest<T> {
  return { apiVersion, kind, ...body };
}

/** The same, as the pipeline's untyped object, for objects nobody reads back. */
export function manifest<T extends { metadata?: V1ObjectMeta }>(
  apiVersion: string,
  kind: string,
  body: T & { metadata: V1ObjectMeta & { name: string } },
): KubernetesObject {
  return typed(apiVersion, kind, body) as unknown as KubernetesObject;
}

/** Identity of an object inside one environment: unique per (apiVersion group, kind, namespace, name). */
export function objectKey(o: KubernetesObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Argo CD Application source (argoproj.io/v1alpha1), the subset this repository renders. */
export interface ApplicationSource {
  repoURL: string;
  targetRevision: string;
  path?: string;
  chart?: string;
  directory?: { recurse?: boolean };
  helm?: { releaseName?: string; valuesObject?: Record<string, unknown>; skipCrds?: boolean };
}

/** A label selector with only matchLabels, the form every selector in this repository uses. */
export type MatchLabels = Required<Pick<V1LabelSelector, 'matchLabels'>>;
