// The External Secrets `ExternalSecret` (external-secrets.io/v1): the only way a Secret's value reaches the cluster from this repo.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { manifest, type KubernetesObject } from '../../scripts/lib/k8s.ts';

/** One Secret key fetched from one property of a remote secret (`<remotePrefix>/<remote>`). */
export interface SecretKeySource {
  secretKey: string;
  remote: string;
  property: string;
}

/** What a component asks for: a Secret name, optionally a type (kubernetes.io/tls), and where each key comes from. */
export interface ExternalSecretSpec {
  name: string;
  keys: readonly SecretKeySource[];
  type?: string;
}

/**
 * Renders the ExternalSecret that creates Secret `spec.name`, or nothing when the environment's
 * Secrets are created out of band (`secrets.provider: preexisting`): pods only reference them by name.
 * The remote property form (`key` + `property`) is the one Vault, AWS/GCP/Azure secret managers and
 * the Kubernetes provider all understand.
 */
export function externalSecrets(env: Environment, spec: ExternalSecretSpec): KubernetesObject[] {
  if (env.secrets.provider !== 'external-secrets') return [];
  return [
    manifest('external-secrets.io/v1', 'ExternalSecret', {
      metadata: { name: spec.name },
      spec: {
        refreshInterval: env.secrets.refreshInterval,
        secretStoreRef: { kind: env.secrets.store.kind, name: env.secrets.store.name },
        target: {
          name: spec.name,
          creationPolicy: 'Owner',
          ...(spec.type ? { template: { type: spec.type } } : {}),
        },
        data: spec.keys.map((k) => ({
          secretKey: k.secretKey,
          remoteRef: { key: `${env.secrets.remotePrefix}/${k.remote}`, property: k.property },
        })),
      },
    }),
  ];
}
