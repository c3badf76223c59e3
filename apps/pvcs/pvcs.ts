// The five shared PersistentVolumeClaims of seed 000, sized and classed per environment.
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import type { PvcName } from '../lib/volumes.ts';

/**
 * A PVC outlives its Application: Argo CD neither prunes it when it leaves git nor deletes it with the
 * Application (the shop's media and code would go with it).
 *
 * On a StorageClass with `volumeBindingMode: WaitForFirstConsumer` these claims stay Pending until a
 * pod of a later wave mounts them, and Argo CD's built-in PVC health reports Pending as Progressing,
 * which would hold wave 0 forever (argoproj/argo-cd#12840). The bootstrap ships a PVC health override
 * that treats a Pending claim as healthy, so the waves do not deadlock.
 */
export function persistentVolumeClaim(env: Environment, name: PvcName): Manifest<V1PersistentVolumeClaim> {
  const volume = env.pvcs[name];
  const storageClassName = volume.storageClassName ?? env.pvcs.storageClassName;
  return typed<V1PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', {
    metadata: { name, annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' } },
    spec: {
      accessModes: [volume.accessMode],
      ...(storageClassName ? { storageClassName } : {}),
      resources: { requests: { storage: volume.size } },
    },
  });
}
