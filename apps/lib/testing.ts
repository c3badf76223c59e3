// Test fixtures for the Oro components: a laptop-like and a production-like environment, and typed object lookups.
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';

const RWO = { accessMode: 'ReadWriteOnce' } as const;

/** One node, ReadWriteOnce volumes, hand-made Secrets, no TLS, no way in (port-forward on 8080), the demo restore, small scale, no monitoring. */
export function devEnvironment(): Environment {
  return testEnvironment('dev', {
    domain: 'oro.localhost',
    tls: { enabled: false },
    topology: { singleNode: true },
    secrets: { provider: 'preexisting' },
    pvcs: { 'pvc-oro-app': RWO, 'pvc-cache': RWO, 'pvc-public-storage': { ...RWO, size: '5Gi' }, 'pvc-private-storage': RWO, 'pvc-maintenance': RWO },
    'init-jobs': { mode: 'restore' },
    app: { 'php-fpm': { hpa: { minReplicas: 1, maxReplicas: 2 } } },
    web: { replicas: 1, publicPort: 8080, exposure: 'none' },
    monitoring: { enabled: false },
  });
}

/** Zones, a ReadWriteMany class, larger volumes and database, more replicas, an SMTP relay. */
export function prodEnvironment(): Environment {
  return testEnvironment('prod', {
    domain: 'shop.example.com',
    topology: { zoneSpread: true },
    pvcs: { storageClassName: 'efs-rwx', 'pvc-public-storage': { size: '100Gi' } },
    db: {
      storage: { size: '100Gi', storageClassName: 'gp3' },
      resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '4Gi' } },
    },
    app: { 'php-fpm': { hpa: { minReplicas: 3, maxReplicas: 20 } }, consumer: { replicas: 2 }, mailer: { host: 'smtp.example.com' } },
    web: { replicas: 3 },
  });
}

/** The object of `kind`/`name`; fails the test when it is missing. */
export function find<T = KubernetesObject>(objects: readonly KubernetesObject[], kind: string, name: string): T {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered; rendered: ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o as unknown as T;
}

export function names(objects: readonly KubernetesObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

/** The pod spec of a Deployment, StatefulSet or Job. */
export function podSpecOf(o: { spec?: { template?: { spec?: V1PodSpec } } }): V1PodSpec {
  const spec = o.spec?.template?.spec;
  if (!spec) throw new Error('no pod template');
  return spec;
}

/** A container or initContainer of a pod spec by name. */
export function containerOf(pod: V1PodSpec, name: string): V1Container {
  const c = [...(pod.initContainers ?? []), ...pod.containers].find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

/** Every container and initContainer of every pod template among `objects`, with its owner. */
export function allContainers(objects: readonly KubernetesObject[]): { owner: string; pod: V1PodSpec; container: V1Container }[] {
  return objects.flatMap((o) => {
    const pod = (o.spec as { template?: { spec?: V1PodSpec } } | undefined)?.template?.spec;
    if (!pod) return [];
    return [...(pod.initContainers ?? []), ...pod.containers].map((container) => ({ owner: `${o.kind}/${o.metadata.name}`, pod, container }));
  });
}
