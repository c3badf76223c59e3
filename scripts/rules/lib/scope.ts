// Kinds that live outside any namespace, so "which namespace" does not apply to them.
import type { RenderedDoc } from '../../lib/validate/types.ts';

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'RuntimeClass', 'PriorityClass', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterIssuer', 'VolumeSnapshotClass',
]);

export function isNamespaced(doc: RenderedDoc): boolean {
  return !CLUSTER_SCOPED.has(doc.object.kind);
}
