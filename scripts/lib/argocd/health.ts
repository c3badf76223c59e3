// The argocd-cm health customisations this repository needs, rendered as a partial argocd-cm ConfigMap.
import { readFileSync } from 'node:fs';
import type { KubernetesObject } from '../k8s.ts';

export const APPLICATION_HEALTH_LUA = readFileSync(new URL('./application-health.lua', import.meta.url), 'utf8');
export const PVC_HEALTH_LUA = readFileSync(new URL('./pvc-health.lua', import.meta.url), 'utf8');

/**
 * Only the keys we own: `kubectl apply` merges them into an existing argocd-cm and leaves the other
 * keys alone. Where Argo CD itself is managed by Helm or an operator, copy these keys into its values.
 */
export function argocdHealthConfig(argocdNamespace: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      namespace: argocdNamespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: {
      'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
      'resource.customizations.health.PersistentVolumeClaim': PVC_HEALTH_LUA,
    },
  };
}
