// The db component: PostgreSQL's names, storage, credentials, probes, identity, version and network reach.
import type { V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { DB_PASSWORD_KEY, DB_ROOT_PASSWORD_KEY, DB_SECRET_NAME } from '../lib/secrets.ts';
import { containerOf, devEnvironment, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { component } from './index.ts';
import { postgresServerVersion } from './service.ts';

const render = (env = testEnvironment()) => component.render(env);
const statefulSet = (env = testEnvironment()) => find<V1StatefulSet>(render(env), 'StatefulSet', 'database-orocommerce');
const postgres = (env = testEnvironment()) => containerOf(podSpecOf(statefulSet(env)), 'postgresql');

describe('db component', () => {
  it('is wave 1 and renders the StatefulSet, its two Services, credentials, ServiceAccounts, policies and the backup', () => {
    expect(component.wave).toBe(1);
    expect(names(render()).sort()).toEqual([
      'CronJob/database-orocommerce-backup',
      'ExternalSecret/database-orocommerce-credentials',
      'NetworkPolicy/allow-egress-to-database',
      'NetworkPolicy/allow-object-storage-egress',
      'NetworkPolicy/allow-to-database',
      'PersistentVolumeClaim/pvc-db-backup',
      'Service/database-orocommerce',
      'Service/database-orocommerce-headless',
      'ServiceAccount/database-orocommerce',
      'ServiceAccount/database-orocommerce-backup',
      'StatefulSet/database-orocommerce',
    ]);
  });

  it('runs one replica governed by the headless Service', () => {
    const sts = statefulSet();
    expect(sts.spec?.replicas).toBe(1);
    expect(sts.spec?.serviceName).toBe('database-orocommerce-headless');
    const headless = find<V1Service>(render(), 'Service', 'database-orocommerce-headless');
    expect(headless.spec?.clusterIP).toBe('None');
    expect(headless.spec?.selector).toEqual(sts.spec?.selector.matchLabels);
  });

  it('exposes 5432 on the client Service', () => {
    const svc = find<V1Service>(render(), 'Service', 'database-orocommerce');
    expect(svc.spec?.ports).toEqual([{ name: 'postgresql', port: 5432, targetPort: 'postgresql', protocol: 'TCP' }]);
    expect(postgres().ports).toEqual([{ name: 'postgresql', containerPort: 5432, protocol: 'TCP' }]);
  });

  it('keeps its data on a claim named like seed 000 (postgresql-data-database-orocommerce-0), 8Gi by default', () => {
    const template = statefulSet().spec?.volumeClaimTemplates?.[0];
    expect(template?.metadata?.name).toBe('postgresql-data');
    expect(template?.spec?.resources?.requests?.storage).toBe('8Gi');
    expect(template?.spec?.accessModes).toEqual(['ReadWriteOnce']);
    expect(statefulSet().spec?.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('sizes and classes the data volume per environment (prod)', () => {
    const template = statefulSet(prodEnvironment()).spec?.volumeClaimTemplates?.[0];
    expect(template?.spec?.resources?.requests?.storage).toBe('100Gi');
    expect(template?.spec?.storageClassName).toBe('gp3');
  });

  it('puts PGDATA in a subdirectory of the mounted volume', () => {
    const mount = postgres().volumeMounts?.find((m) => m.name === 'postgresql-data');
    const pgdata = postgres().env?.find((e) => e.name === 'PGDATA')?.value;
    expect(pgdata).toBe(`${mount?.mountPath}/pgdata`);
  });

  it('reads every password from the credentials Secret, never a literal', () => {
    const env = postgres().env ?? [];
    expect(env.find((e) => e.name === 'POSTGRES_PASSWORD')).toEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: DB_SECRET_NAME, key: DB_PASSWORD_KEY } } });
    expect(env.find((e) => e.name === 'POSTGRES_ROOT_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: DB_SECRET_NAME, key: DB_ROOT_PASSWORD_KEY });
    expect(env.find((e) => e.name === 'POSTGRES_USER')?.value).toBe('orodbuser');
    expect(env.find((e) => e.name === 'POSTGRES_DB')?.value).toBe('orodb');
  });

  it('checks readiness, liveness and startup with pg_isready', () => {
    const c = postgres();
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(probe?.exec?.command?.slice(0, 3)).toEqual(['pg_isready', '-h', '127.0.0.1']);
      expect(probe?.exec?.command).toContain('orodbuser');
    }
  });

  it("runs as alpine's postgres user (70) with a read-only image and writable socket, /tmp and /dev/shm", () => {
    const pod = podSpecOf(statefulSet());
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
    expect(postgres().securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const paths = postgres().volumeMounts?.map((m) => m.mountPath);
    expect(paths).toEqual(expect.arrayContaining(['/var/run/postgresql', '/tmp', '/dev/shm']));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('database-orocommerce');
  });

  it("keeps the seed's 1Gi/2Gi by default and takes an environment's resources (prod sets limit = request)", () => {
    expect(postgres().resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } });
    expect(postgres(prodEnvironment()).resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '4', memory: '4Gi' } });
  });

  it("labels the pods with PostgreSQL's version, so an Oro upgrade does not restart the database", () => {
    const env = testEnvironment('prod', { db: { image: { tag: '17.4-alpine' } } });
    expect(statefulSet(env).spec?.template.metadata?.labels?.['app.kubernetes.io/version']).toBe('17.4-alpine');
    expect(postgres(env).image).toBe('oroinc/pgsql:17.4-alpine');
  });

  it('lets only the shop pods reach 5432 (seed 000)', () => {
    const policy = find<NetworkPolicy>(render(), 'NetworkPolicy', 'allow-to-database');
    expect(policy.spec.podSelector?.matchLabels).toEqual(statefulSet().spec?.selector.matchLabels);
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'orocommerce' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  it('renders the credentials ExternalSecret from the store, or nothing when Secrets pre-exist (dev)', () => {
    const external = find<{ spec: Record<string, any> }>(render(), 'ExternalSecret', DB_SECRET_NAME);
    expect(external.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'orocommerce' });
    expect(external.spec.data).toEqual([
      { secretKey: 'password', remoteRef: { key: 'orocommerce/test/database', property: 'password' } },
      { secretKey: 'root-password', remoteRef: { key: 'orocommerce/test/database', property: 'root-password' } },
    ]);
    expect(names(render(devEnvironment()))).not.toContain(`ExternalSecret/${DB_SECRET_NAME}`);
  });
});

describe('postgresServerVersion', () => {
  it.each([
    ['17.2-alpine', '17.2'],
    ['16-alpine', '16'],
    ['17.4', '17.4'],
    ['17.2.1-bookworm', '17.2'],
  ])('reads %s as serverVersion %s', (tag, version) => {
    expect(postgresServerVersion(testEnvironment('prod', { db: { image: { tag } } }))).toBe(version);
  });

  it('refuses a tag that does not start with the version', () => {
    expect(() => postgresServerVersion(testEnvironment('prod', { db: { image: { tag: 'alpine-17' } } }))).toThrow(/environment "prod".*db\.image\.tag "alpine-17"/);
  });
});
