// `npm run dev-secrets`: creates exactly the Secrets and keys the environment's pods reference (the list behind
// rendered/README.md), with strong random values that are never printed, and never overwrites one.
import { randomBytes } from 'node:crypto';
import { UsageError } from '../cli.ts';
import type { SecretRequirement } from '../component.ts';
import type { KubernetesObject } from '../k8s.ts';
import { ClusterError, type Cluster } from './client.ts';
import type { EnvironmentTarget } from './environment.ts';

/** What happens to one required Secret. */
export interface SecretAction {
  name: string;
  keys: string[];
  action: 'create' | 'exists' | 'skip';
  /** Why it is skipped, or which required keys an existing Secret lacks. */
  note?: string;
}

/**
 * The plan, from the requirements and the Secrets already there: existing ones are left alone (a missing key
 * is reported, not added), TLS Secrets are skipped (a certificate cannot be made up), the rest are created.
 */
export function planSecrets(required: readonly SecretRequirement[], existing: ReadonlyMap<string, readonly string[]>): SecretAction[] {
  return required.map((r): SecretAction => {
    const have = existing.get(r.name);
    if (have) {
      const lacking = r.keys.filter((k) => !have.includes(k));
      return { name: r.name, keys: r.keys, action: 'exists', ...(lacking.length > 0 ? { note: `lacks ${lacking.join(', ')}: delete it to have it recreated, or add the keys yourself` } : {}) };
    }
    if (r.keys.includes('tls.crt')) return { name: r.name, keys: r.keys, action: 'skip', note: 'a TLS Secret needs your certificate: kubectl create secret tls' };
    return { name: r.name, keys: r.keys, action: 'create' };
  });
}

/**
 * A value for one key: user names are `admin` (as rendered/README.md suggests), everything else 24 random
 * bytes as hex: 192 bits, and URL-safe, because the database password is embedded in DSNs.
 */
export function secretValue(key: string, random: (n: number) => Buffer = randomBytes): string {
  return /user$/.test(key) ? 'admin' : random(24).toString('hex');
}

/** The Secret object for a planned creation (the values exist only in this object and on the cluster). */
export function secretObject(namespace: string, a: SecretAction, random?: (n: number) => Buffer): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: a.name, namespace, labels: { 'app.kubernetes.io/managed-by': 'orocommerce-gitops-dev-secrets' } },
    type: 'Opaque',
    stringData: Object.fromEntries(a.keys.map((k) => [k, secretValue(k, random)])),
  } as KubernetesObject;
}

/** Refuses environments whose Secrets come from a store; creates the namespace (the rendered one) if needed, then the Secrets. */
export async function createDevSecrets(cluster: Cluster, target: EnvironmentTarget, required: readonly SecretRequirement[], opts: { dryRun: boolean }): Promise<SecretAction[]> {
  const { env, namespace } = target;
  if (env.secrets.provider !== 'preexisting') {
    throw new UsageError(`environment ${env.name} reads its Secrets from the ${env.secrets.store.kind} ${env.secrets.store.name} through External Secrets (secrets.provider: ${env.secrets.provider}); dev-secrets only creates Secrets for secrets.provider: preexisting`);
  }
  if (!(await cluster.get('v1', 'Namespace', undefined, namespace))) {
    // The rendered Namespace carries the Pod Security labels; a bare `create namespace` would not.
    const rendered = target.docs.find((d) => d.env === env.name && d.object.kind === 'Namespace' && d.object.metadata.name === namespace);
    if (!rendered) throw new ClusterError(`namespace ${namespace} does not exist on the cluster and is not rendered for ${env.name}`, 404);
    await cluster.apply(rendered.object, { dryRun: opts.dryRun });
  }
  const existing = new Map<string, string[]>();
  for (const r of required) {
    const s = await cluster.get<{ data?: Record<string, string> }>('v1', 'Secret', namespace, r.name);
    if (s) existing.set(r.name, Object.keys(s.data ?? {}));
  }
  const plan = planSecrets(required, existing);
  for (const a of plan.filter((x) => x.action === 'create')) {
    try {
      await cluster.create(secretObject(namespace, a), { dryRun: opts.dryRun });
    } catch (e) {
      // Created by someone else in the meantime: still never overwritten.
      if (e instanceof ClusterError && e.status === 409) a.action = 'exists';
      else throw e;
    }
  }
  return plan;
}
