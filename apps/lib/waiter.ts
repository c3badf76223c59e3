// Waiting for other workloads from an initContainer: for Jobs through the API (seed 002), for a Service by connecting to it.
import type { V1Container, V1Job, V1Role, V1RoleBinding, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from './objects.ts';
import { TMP_MOUNT } from './oro-pod.ts';
import { restrictedContainer } from './security.ts';

/** Pod label of the workloads that run a job waiter: the NetworkPolicy that reaches the API server selects it. */
export const WAITER_POD_LABELS: Readonly<Record<string, string>> = { 'orocommerce.io/api-client': 'job-waiter' };

/** Seed 002's Role: read Jobs, nothing else (D-06). */
export const JOB_WAITER_ROLE = 'job-waiter';

export function jobWaiterRole(): Manifest<V1Role> {
  return typed<V1Role>('rbac.authorization.k8s.io/v1', 'Role', {
    metadata: { name: JOB_WAITER_ROLE },
    rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }],
  });
}

/** Binds the Role to one workload's own ServiceAccount, rendered next to that workload. */
export function jobWaiterBinding(serviceAccountName: string): Manifest<V1RoleBinding> {
  return typed<V1RoleBinding>('rbac.authorization.k8s.io/v1', 'RoleBinding', {
    metadata: { name: `${serviceAccountName}-${JOB_WAITER_ROLE}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: JOB_WAITER_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccountName }],
  });
}

const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The API credentials kubectl reads in-cluster, as a volume mounted into the waiter alone: the pod keeps
 * automountServiceAccountToken false, so the long-running container (php-fpm serving the internet) never
 * holds a token. `kube-root-ca.crt` is published in every namespace by Kubernetes itself, not by this
 * repository; it is optional only so validation does not look for it among the rendered ConfigMaps.
 */
export const API_TOKEN_VOLUME: V1Volume = {
  name: 'kube-api-access',
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }], optional: true } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const API_TOKEN_MOUNT: V1VolumeMount = { name: API_TOKEN_VOLUME.name, mountPath: TOKEN_DIR, readOnly: true };

/** Seconds one `kubectl wait` blocks before the loop tries again, and the pause after a failed attempt. */
const WAIT_SECONDS = 60;
const RETRY_SECONDS = 10;

/** The label selector of a Job: all its labels, the image version included. */
function jobSelector(job: Manifest<V1Job>): string {
  return Object.entries(job.metadata.labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * The waiter's loop: one `kubectl wait` per Job, all of which must succeed in one pass. A selector per Job,
 * because `kubectl wait --selector` waits only for the Jobs that exist when it starts (a Job created later would be
 * skipped) and fails at once with "no matching resources found" before any exists; and a loop with a sleep, because
 * a failing initContainer crash-loops with a growing back-off while a loop notices the completion within seconds.
 */
export function waitForJobsScript(env: Environment, jobs: readonly Manifest<V1Job>[]): string {
  const waits = jobs.map((job) =>
    [
      'kubectl wait job --for=condition=complete', `--selector=${jobSelector(job)}`, `--namespace=${env.destination.namespace}`,
      `--timeout=${WAIT_SECONDS}s`, `--cache-dir=${TMP_MOUNT.mountPath}/.kube`,
    ].join(' '),
  );
  const names = jobs.map((job) => job.metadata.name).join(', ');
  return [
    `until ${waits.join(' && \\\n  ')}; do`,
    `  echo "waiting for ${names} of ${env.oro.image.tag} to complete"`,
    `  sleep ${RETRY_SECONDS}`,
    'done',
  ].join('\n');
}

/**
 * initContainer `wait-for-<name>` that blocks until every Job of `jobs` has completed. The Jobs' labels carry
 * the image version, so a Job left from the previous image never counts. kubectl's image ships bash
 * (kubernetes/kubernetes build/server-image/kubectl). It runs as www-data's uid whatever the pod's default,
 * so the waiter of the root cron pod is not root either.
 */
export function waitForJobs(env: Environment, name: string, jobs: readonly Manifest<V1Job>[]): V1Container {
  const waiter = env['init-jobs'].waiter;
  return {
    name: `wait-for-${name}`,
    image: imageRef(waiter.image),
    command: ['bash', '-c', waitForJobsScript(env, jobs)],
    resources: { requests: { ...waiter.resources.requests }, limits: { ...waiter.resources.limits } },
    securityContext: { ...restrictedContainer(), runAsNonRoot: true, runAsUser: env.oro.uid, runAsGroup: env.oro.gid },
    volumeMounts: [API_TOKEN_MOUNT, TMP_MOUNT],
  };
}

/**
 * initContainer that blocks until a TCP connection to `host:port` succeeds (bash's /dev/tcp, in Oro's
 * image, which the pod pulls anyway). Needs no API access.
 */
export function waitForService(env: Environment, name: string, address: { host: string; port: number }): V1Container {
  const waiter = env['init-jobs'].waiter;
  const target = `${address.host}/${address.port}`;
  return {
    name: `wait-for-${name}`,
    image: imageRef(env.oro.image),
    command: ['bash', '-c', `until (exec 3<>/dev/tcp/${target}) 2>/dev/null; do echo "waiting for ${address.host}:${address.port}"; sleep 5; done`],
    resources: { requests: { ...waiter.resources.requests }, limits: { ...waiter.resources.limits } },
    securityContext: restrictedContainer(),
    volumeMounts: [TMP_MOUNT],
  };
}
