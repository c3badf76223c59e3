// Puts every namespaced object into the environment's namespace.
import type { Transform } from './types.ts';

/** Kinds that have no namespace; everything else this repository renders is namespaced. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ClusterSecretStore',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

export const setNamespace: Transform = (objects, { env }) =>
  objects.map((o) =>
    CLUSTER_SCOPED_KINDS.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace: env.destination.namespace } },
  );
