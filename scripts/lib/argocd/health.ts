// The argocd-cm health customisations this repository needs, rendered as a partial argocd-cm ConfigMap.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import type { KubernetesObject } from '../k8s.ts';

const LUA_DIR = path.join(REPO_ROOT, 'scripts/lib/argocd');
export const APPLICATION_HEALTH_LUA = readFileSync(path.join(LUA_DIR, 'application-health.lua'), 'utf8');
export const PVC_HEALTH_LUA = readFileSync(path.join(LUA_DIR, 'pvc-health.lua'), 'utf8');

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
