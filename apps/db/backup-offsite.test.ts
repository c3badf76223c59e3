// The off-cluster copy as rendered: after a verified dump only, from the secret store, read-only volumes, its own egress; off by default.
import type { V1CronJob, V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { find, names } from '../lib/testing.ts';
import { BACKUP_NAME } from './backup.ts';
import { component } from './index.ts';

const on = (offsite: Record<string, unknown> = {}) => testEnvironment('prod', { db: { backup: { offsite: { enabled: true, ...offsite } } } });
const pod = (env = on()): V1PodSpec => find<V1CronJob>(component.render(env), 'CronJob', BACKUP_NAME).spec?.jobTemplate.spec?.template.spec ?? { containers: [] };

describe('the off-cluster copy', () => {
  it('is off by default: one container, no Secret, and only restore pods may reach object storage', () => {
    const objects = component.render(testEnvironment());
    expect(names(objects)).not.toContain('ExternalSecret/database-backup-offsite');
    expect(pod(testEnvironment()).initContainers).toBeUndefined();
    expect(find<NetworkPolicy>(objects, 'NetworkPolicy', 'allow-object-storage-egress').spec.podSelector?.matchExpressions).toEqual([
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['database-restore'] },
    ]);
  });

  it('runs the pinned rclone only after the dump, which becomes an initContainer', () => {
    const p = pod();
    expect(p.initContainers?.map((c) => c.name)).toEqual(['pg-dump']);
    expect(p.containers.map((c) => [c.name, c.image])).toEqual([['offsite-copy', 'rclone/rclone:1.60.1']]);
  });

  it('takes endpoint, region, bucket, prefix and keys from the secret store, nothing from git', () => {
    const secret = find<{ spec: { data: { secretKey: string; remoteRef: { key: string } }[] } }>(component.render(on()), 'ExternalSecret', 'database-backup-offsite');
    expect(secret.spec.data.map((d) => d.secretKey)).toEqual(['endpoint', 'region', 'bucket', 'prefix', 'access-key-id', 'secret-access-key']);
    expect(new Set(secret.spec.data.map((d) => d.remoteRef.key))).toEqual(new Set(['orocommerce/prod/backup-offsite']));
    const env = pod().containers[0]?.env ?? [];
    for (const name of ['RCLONE_CONFIG_OFFSITE_ENDPOINT', 'RCLONE_CONFIG_OFFSITE_SECRET_ACCESS_KEY', 'OFFSITE_BUCKET', 'OFFSITE_PREFIX']) {
      expect(env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.name, name).toBe('database-backup-offsite');
    }
  });

  it('reads the dumps and the storage volumes read-only; files can be left out', () => {
    const mounts = pod().containers[0]?.volumeMounts ?? [];
    expect(mounts.filter((m) => m.name !== 'tmp').every((m) => m.readOnly)).toBe(true);
    expect(pod().volumes?.map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual(['pvc-db-backup', 'pvc-public-storage', 'pvc-private-storage']);
    expect(pod(on({ files: false })).volumes?.map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual(['pvc-db-backup']);
    expect(pod(on({ files: false })).containers[0]?.command?.[2]).not.toContain('tar ');
  });

  it('lets the backup and restore pods leave the namespace only towards the configured object storage ports', () => {
    const policy = find<NetworkPolicy>(component.render(on({ egress: { cidrs: ['203.0.113.0/24'], ports: [9000] } })), 'NetworkPolicy', 'allow-object-storage-egress');
    expect(policy.spec.podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/instance': 'orocommerce-prod' },
      matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['database-backup', 'database-restore'] }],
    });
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
  });

  it('keeps `retention` complete backups', () => {
    expect(pod(on({ retention: 30 })).containers[0]?.command?.[2]).toContain('keep=30');
  });
});
