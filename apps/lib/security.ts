// Identities and privileges: dedicated ServiceAccounts and the security contexts every pod and container starts from.
import type { V1PodSecurityContext, V1SecurityContext, V1ServiceAccount } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from './objects.ts';

/**
 * A workload's own ServiceAccount (never `default`). It mounts no token: the few containers that call
 * the API get a projected token of their own (apps/lib/waiter.ts).
 */
export function serviceAccount(name: string, labels: Record<string, string>): Manifest<V1ServiceAccount> {
  return typed<V1ServiceAccount>('v1', 'ServiceAccount', { metadata: { name, labels: { ...labels } }, automountServiceAccountToken: false });
}

/** Pod Security "restricted" for a container: no escalation, no capability, read-only image filesystem. */
export function restrictedContainer(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * A container that must run as root with a few capabilities back (volume-init, crond). Still no
 * escalation, seccomp on and a read-only image filesystem; the callers say why root is needed.
 */
export function rootContainer(capabilities: readonly string[]): V1SecurityContext {
  return {
    ...restrictedContainer(),
    runAsUser: 0,
    runAsGroup: 0,
    runAsNonRoot: false,
    capabilities: { drop: ['ALL'], add: [...capabilities] },
  };
}

/**
 * Pod-level identity for Oro's PHP and nginx processes: `www-data` by number (Kubernetes needs a number
 * to enforce non-root). fsGroup makes block volumes group-writable; OnRootMismatch skips the recursive
 * chgrp of a 20Gi media volume on every start once the root is right.
 */
export function oroPodSecurity(env: Environment): V1PodSecurityContext {
  return runAsPod(env.oro.uid, env.oro.gid);
}

/** Pod-level identity for a process with its own numeric user (PostgreSQL's postgres, 70 in the alpine image). */
export function runAsPod(uid: number, gid: number): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
