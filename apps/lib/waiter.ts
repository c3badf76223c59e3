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

/** Margin past the init jobs' own deadlines before a waiter gives up (and the kubelet starts it again). */
const MARGIN_SECONDS = 600;

/**
 * How long each waiter blocks: as long as the init jobs may run, one after the other (activeDeadlineSeconds bounds
 * every retry of a Job), plus a margin. Past it kubectl fails, the pod's events say so, and the kubelet retries the
 * container with its back-off; an explicit value because kubectl's default is 30 s.
 */
export function waiterTimeoutSeconds(jobs: readonly Manifest<V1Job>[]): number {
  return jobs.reduce((sum, job) => sum + (job.spec?.activeDeadlineSeconds ?? 3600), MARGIN_SECONDS);
}

/** `k=v` for the labels every Job shares, `k in (a,b)` for those they differ in: exactly these Jobs, whatever exists. */
export function jobsSelector(jobs: readonly Manifest<V1Job>[]): string {
  const keys = [...new Set(jobs.flatMap((job) => Object.keys(job.metadata.labels ?? {})))];
  return keys
    .map((key) => {
      const values = jobs.map((job) => job.metadata.labels?.[key]);
      if (values.some((v) => v === undefined)) throw new Error(`init job labels differ in their keys (${key}): the waiter cannot select them`);
      const distinct = [...new Set(values)].sort();
      return distinct.length === 1 ? `${key}=${distinct[0]}` : `${key} in (${distinct.join(',')})`;
    })
    .join(',');
}

/** The image's own entrypoint (kubernetes/kubernetes build/server-image/kubectl/Dockerfile), by path: no PATH lookup. */
const KUBECTL = '/bin/kubectl';

/** kubectl's arguments to wait for `jobs` to reach `condition`, with its cache on the writable /tmp. */
function kubectlWait(env: Environment, condition: string, jobs: readonly Manifest<V1Job>[], timeout: number): string[] {
  return [
    KUBECTL, 'wait', 'job', condition, `--selector=${jobsSelector(jobs)}`, `--namespace=${env.destination.namespace}`,
    `--timeout=${timeout}s`, `--cache-dir=${TMP_MOUNT.mountPath}/.kube`,
  ];
}

/**
 * The initContainers that hold a pod until every Job of `jobs` has completed: kubectl alone, no shell (kubectl's image
 * need not ship one). First one `kubectl wait --for=create` per Job, in order, because `--for=condition=complete`
 * fails at once with "no matching resources found" while a Job does not exist yet, and waits only for the Jobs that
 * exist when it starts. `--for=create` exists since kubectl 1.31, and waits for a label selector to match only since
 * 1.33 (kubectl v0.33.0 pkg/cmd/wait/wait.go; before, an empty match counted as created): the waiter image must be
 * 1.33 or newer. Then one `--for=condition=complete` over exactly these Jobs; it watches each by name, so a Job that
 * Argo CD deletes and recreates (BeforeHookCreation) is followed to its new run. The Jobs' labels carry the image
 * version, so a Job left from the previous image never counts. Every container runs as www-data's uid whatever the
 * pod's default, so the waiter of the root cron pod is not root either; each mounts the API token, which the pod's
 * long-running containers never see.
 */
export function waitForJobs(env: Environment, name: string, jobs: readonly Manifest<V1Job>[]): V1Container[] {
  const waiter = env['init-jobs'].waiter;
  const timeout = waiterTimeoutSeconds(jobs);
  const container = (containerName: string, command: string[]): V1Container => ({
    name: containerName,
    image: imageRef(waiter.image),
    command,
    resources: { requests: { ...waiter.resources.requests }, limits: { ...waiter.resources.limits } },
    securityContext: { ...restrictedContainer(), runAsNonRoot: true, runAsUser: env.oro.uid, runAsGroup: env.oro.gid },
    volumeMounts: [API_TOKEN_MOUNT, TMP_MOUNT],
  });
  return [
    ...jobs.map((job) => container(`wait-created-${job.metadata.name}`, kubectlWait(env, '--for=create', [job], timeout))),
    container(`wait-for-${name}`, kubectlWait(env, '--for=condition=complete', jobs, timeout)),
  ];
}

/**
 * initContainer that blocks until a TCP connection to `host:port` succeeds (bash's /dev/tcp, in Oro's runtime
 * image, which the pod pulls anyway). Needs no API access.
 */
export function waitForService(env: Environment, name: string, address: { host: string; port: number }): V1Container {
  const waiter = env['init-jobs'].waiter;
  const target = `${address.host}/${address.port}`;
  return {
    name: `wait-for-${name}`,
    image: imageRef(env.oro.runtimeImage),
    command: ['bash', '-c', `until (exec 3<>/dev/tcp/${target}) 2>/dev/null; do echo "waiting for ${address.host}:${address.port}"; sleep 5; done`],
    resources: { requests: { ...waiter.resources.requests }, limits: { ...waiter.resources.limits } },
    securityContext: restrictedContainer(),
    volumeMounts: [TMP_MOUNT],
  };
}
