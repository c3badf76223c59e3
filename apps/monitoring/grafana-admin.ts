// Grafana's admin login: an ExternalSecret from the secret store, never a password in git.
import type { SecretRequirement } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { externalSecrets } from '../lib/external-secret.ts';
import { stackEnabled } from './stack.ts';

/** Remote secret `<remotePrefix>/grafana-admin`, whose properties are named like the Secret's keys. */
export const GRAFANA_ADMIN_REMOTE = 'grafana-admin';

/**
 * The Secret the chart's Grafana reads (`grafana.admin.existingSecret`). With `preexisting` secrets
 * it is created out of band under the same name and keys, and nothing is rendered.
 */
export function grafanaAdminSecret(env: Environment): KubernetesObject[] {
  if (!stackEnabled(env)) return [];
  const { name, userKey, passwordKey } = env.monitoring.stack.grafana.adminSecret;
  const keys = [userKey, passwordKey].map((key) => ({ secretKey: key, remote: GRAFANA_ADMIN_REMOTE, property: key }));
  return externalSecrets(env, { name, keys });
}

/** The Secret Grafana's admin login comes from, with its keys, when the stack is enabled. */
export function grafanaAdminRequirement(env: Environment): SecretRequirement[] {
  if (!stackEnabled(env)) return [];
  const { name, userKey, passwordKey } = env.monitoring.stack.grafana.adminSecret;
  return [{ name, keys: [userKey, passwordKey], remote: GRAFANA_ADMIN_REMOTE }];
}
