// The init-jobs component: settings and secrets first, then volume-init, then install or restore, as idempotent Sync hooks.
import type { V1ConfigMap, V1Job, V1Role } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { containerOf, devEnvironment, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { component } from './index.ts';

const render = (env = testEnvironment()) => component.render(env);
const job = (name: string, env = testEnvironment()) => find<V1Job>(render(env), 'Job', name);
const wave = (o: { metadata?: { annotations?: Record<string, string> } }) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave']);

describe('init-jobs component', () => {
  it('is wave 2 and renders the settings, secrets, waiter Role, backup volume, and a ServiceAccount per hook Job', () => {
    expect(component.wave).toBe(2);
    const jobs = ['oro-cache-warmup', 'oro-install', 'oro-maintenance-off', 'oro-maintenance-on', 'oro-upgrade-backup', 'volume-init'];
    expect(names(render()).sort()).toEqual([
      'ConfigMap/orocommerce-config',
      'ExternalSecret/orocommerce-app-secrets',
      ...jobs.map((j) => `Job/${j}`),
      'PersistentVolumeClaim/pvc-db-upgrade-backup',
      'Role/job-waiter',
      ...jobs.map((j) => `ServiceAccount/${j}`),
    ]);
  });

  it('renders no pre-upgrade backup or its volume when init-jobs.upgrade.backup is off', () => {
    const env = testEnvironment('prod', { 'init-jobs': { upgrade: { backup: false } } });
    expect(names(render(env)).filter((n) => n.includes('upgrade-backup'))).toEqual([]);
  });

  it('renders the ConfigMap its jobs read in its own wave, leaving the wave to the pipeline', () => {
    expect(find<V1ConfigMap>(render(), 'ConfigMap', 'orocommerce-config').metadata?.annotations).toBeUndefined();
  });

  it('grants the waiters read access to Jobs and nothing else', () => {
    expect(find<V1Role>(render(), 'Role', 'job-waiter').rules).toEqual([{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }]);
  });

  it('fetches ORO_SECRET and the admin password from the store, plus SMTP credentials when a relay is set', () => {
    const keys = (env = testEnvironment()) =>
      find<{ spec: { data: { secretKey: string }[] } }>(render(env), 'ExternalSecret', 'orocommerce-app-secrets').spec.data.map((d) => d.secretKey);
    expect(keys()).toEqual(['oro-secret', 'admin-password']);
    expect(keys(prodEnvironment())).toEqual(['oro-secret', 'admin-password', 'mailer-user', 'mailer-password']);
    expect(names(render(devEnvironment()))).not.toContain('ExternalSecret/orocommerce-app-secrets');
  });
});

describe('the hooks', () => {
  it('are Sync hooks recreated on every sync, volume-init before install', () => {
    for (const j of [job('volume-init'), job('oro-install')]) {
      expect(j.metadata?.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
      expect(j.spec?.ttlSecondsAfterFinished).toBeUndefined();
      expect(j.spec?.template.spec?.restartPolicy).toBe('Never');
    }
    expect(wave(job('volume-init'))).toBe(3);
    expect(wave(job('oro-install'))).toBeGreaterThan(wave(job('volume-init')));
  });

  it('take their deadline and retries from the settings; install never retries', () => {
    const env = testEnvironment('prod', { 'init-jobs': { activeDeadlineSeconds: 7200, backoffLimit: 3 } });
    expect(job('volume-init', env).spec).toMatchObject({ activeDeadlineSeconds: 7200, backoffLimit: 3 });
    expect(job('oro-install', env).spec).toMatchObject({ activeDeadlineSeconds: 7200, backoffLimit: 0 });
  });
});

describe('the upgrade hook sequence', () => {
  const order = (env = testEnvironment()) =>
    render(env)
      .filter((o) => o.kind === 'Job')
      .map((o) => [wave(o), o.metadata?.name] as const)
      .sort((a, b) => a[0] - b[0]);

  it('is one hook per wave: volume-init, backup, maintenance on, update, warm-up, maintenance off', () => {
    expect(order()).toEqual([
      [3, 'volume-init'], [4, 'oro-upgrade-backup'], [5, 'oro-maintenance-on'], [6, 'oro-install'], [7, 'oro-cache-warmup'], [8, 'oro-maintenance-off'],
    ]);
    expect(order(devEnvironment()).map(([, n]) => n)).toEqual(['volume-init', 'oro-upgrade-backup', 'oro-maintenance-on', 'oro-restore', 'oro-cache-warmup', 'oro-maintenance-off']);
  });

  it('is rendered anew by an image bump: every hook carries the new version, which the new pods wait for', () => {
    const bumped = render(testEnvironment('prod', { oro: { image: { tag: '6.1.7' } } }));
    const jobs = bumped.filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => j.metadata?.labels?.['app.kubernetes.io/version'])).toEqual(jobs.map(() => '6.1.7'));
    const backup = find<V1Job>(bumped, 'Job', 'oro-upgrade-backup');
    expect(containerOf(podSpecOf(backup), 'pg-dump').command?.[2]).toContain("release='6.1.7'");
  });

  it('bounds every step: no retries that could repeat a half-done step, pinned deadlines from the settings', () => {
    const env = testEnvironment('prod', { 'init-jobs': { upgrade: { backupDeadlineSeconds: 900, drainTimeoutSeconds: 120, warmupDeadlineSeconds: 600 } } });
    expect(job('oro-upgrade-backup', env).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900 });
    expect(job('oro-maintenance-on', env).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 420 });
    expect(job('oro-cache-warmup', env).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600 });
    expect(job('oro-maintenance-off', env).spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300 });
    expect(containerOf(podSpecOf(job('oro-maintenance-on', env)), 'oro-maintenance-on').command?.[2]).toContain('deadline=$(( $(date +%s) + 120 ))');
  });

  it('dumps with the database image onto its own volume, reading the outgoing release from setup/ read-only', () => {
    const pod = podSpecOf(job('oro-upgrade-backup'));
    const c = containerOf(pod, 'pg-dump');
    expect(c.image).toBe('oroinc/pgsql:17.2-alpine');
    expect(c.volumeMounts).toContainEqual({ name: 'oro-app', mountPath: '/var/lib/oro-setup', subPath: 'setup', readOnly: true });
    expect(pod.volumes?.map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)).toEqual(['pvc-db-upgrade-backup', 'pvc-oro-app']);
  });

  it('turns maintenance on and off on the shared maintenance volume, where nginx, consumers and cron look', () => {
    for (const name of ['oro-maintenance-on', 'oro-maintenance-off']) {
      const c = containerOf(podSpecOf(job(name)), name);
      expect(c.volumeMounts).toContainEqual(expect.objectContaining({ name: 'maintenance', mountPath: '/var/www/oro/var/maintenance' }));
      expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    }
  });
});

describe('volume-init', () => {
  const pod = podSpecOf(job('volume-init'));
  const c = containerOf(pod, 'volume-init');
  const script = c.command?.[2] ?? '';

  it('runs the application image as root with only the capabilities the copy and chown need', () => {
    expect(c.image).toBe('oroinc/orocommerce-application:6.1.6');
    expect(c.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.securityContext?.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER'] });
  });

  it('mounts every shared PVC under /mnt, never over the code it copies', () => {
    expect(pod.volumes?.filter((v) => v.persistentVolumeClaim).map((v) => v.persistentVolumeClaim?.claimName)).toEqual([
      'pvc-oro-app', 'pvc-cache', 'pvc-public-storage', 'pvc-private-storage', 'pvc-maintenance',
    ]);
    expect(c.volumeMounts?.filter((m) => m.name !== 'tmp').every((m) => m.mountPath.startsWith('/mnt/'))).toBe(true);
  });

  it('copies the image into a release of its own, never over the code pods run, and never empties a cache (M2)', () => {
    expect(script).toContain("dest=/mnt/oro-app/releases/6.1.6");
    expect(script).toContain('cache=/mnt/cache/6.1.6');
    expect(script).toMatch(/rsync -a (--exclude='\/[a-z/]+\/\*' )+\/var\/www\/oro\/ "\$tmp\/"/);
    expect(script).not.toContain('--delete');
    // The only deletions: an incomplete copy of this release, and pruned releases with their caches.
    expect(script.match(/rm -rf [^\n]*/g)).toEqual(['rm -rf "$dest" "$releases"/.tmp-*', 'rm -rf "${releases:?}/$old" "${caches:?}/$old"']);
    expect(script.indexOf('mv -T "$tmp" "$dest"')).toBeGreaterThan(script.indexOf('> "$tmp/.oro-release"'));
  });

  it("hands www-data's numeric uid/gid what it writes, never the code", () => {
    const env = testEnvironment('prod', { oro: { uid: 1000, gid: 1001 } });
    const s = containerOf(podSpecOf(job('volume-init', env)), 'volume-init').command?.[2] ?? '';
    expect(s).toContain('chown 1000:1001 "$cache" /mnt/oro-app/sessions "$setup" /mnt/public-storage /mnt/private-storage /mnt/maintenance');
    expect(s).toContain('chown -R 1000:1001 "$tmp/var"');
    expect(s.match(/chown/g)).toHaveLength(2);
  });

  it('keeps init-jobs.keepReleases releases, 2 by default', () => {
    expect(script).toContain('if [ "$n" -le 2 ] || [ "$old" = "$release" ]; then continue; fi');
    const s = containerOf(podSpecOf(job('volume-init', testEnvironment('prod', { 'init-jobs': { keepReleases: 5 } }))), 'volume-init').command?.[2] ?? '';
    expect(s).toContain('if [ "$n" -le 5 ] || [ "$old" = "$release" ]; then continue; fi');
  });

  it('carries the version label the waiters select on', () => {
    expect(job('volume-init').metadata?.labels).toMatchObject({ 'app.kubernetes.io/name': 'volume-init', 'app.kubernetes.io/version': '6.1.6' });
  });
});

describe('install (prod-like) and restore (dev-like)', () => {
  it("installs with the application image's `install` when the database is empty, else migrates", () => {
    const c = containerOf(podSpecOf(job('oro-install', prodEnvironment())), 'install');
    const script = c.command?.[2] ?? '';
    expect(c.image).toBe('oroinc/orocommerce-application:6.1.6');
    expect(script).toContain('/usr/local/bin/docker-entrypoint.sh install');
    expect(script).toContain('oro:platform:update --force --no-interaction --timeout=3600');
    expect(c.env?.find((e) => e.name === 'ORO_USER_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'orocommerce-app-secrets', key: 'admin-password' });
  });

  it("restores the -init image's demo data, connecting as the application role", () => {
    const dev = devEnvironment();
    expect(names(render(dev))).toEqual(expect.arrayContaining(['Job/oro-restore', 'ServiceAccount/oro-restore']));
    expect(names(render(dev))).not.toContain('Job/oro-install');
    const c = containerOf(podSpecOf(job('oro-restore', dev)), 'restore');
    expect(c.image).toBe('oroinc/orocommerce-application-init:6.1.6');
    expect(c.command?.[2]).toContain('/usr/local/bin/docker-entrypoint.sh restore');
    expect(c.env?.find((e) => e.name === 'ORO_DB_ROOT_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'database-orocommerce-credentials', key: 'password' });
    expect(job('oro-restore', dev).spec?.backoffLimit).toBe(1);
  });

  it('runs as www-data with the settings ConfigMap, the DSN from the Secret and the app volumes', () => {
    const pod = podSpecOf(job('oro-install'));
    const c = containerOf(pod, 'install');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2002, runAsGroup: 2001, fsGroup: 2001 });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'orocommerce-config' } }]);
    expect(c.env?.find((e) => e.name === 'ORO_DB_DSN')?.value).toContain('$(ORO_DB_PASSWORD)');
    expect(c.volumeMounts?.map((m) => m.mountPath)).toEqual(
      expect.arrayContaining(['/var/www/oro', '/var/www/oro/var/cache', '/var/www/oro/public/media', '/var/www/oro/var/data', '/var/www/oro/var/maintenance']),
    );
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("works on the release's code and cache, and keeps its markers in pvc-oro-app's setup/ folder, outside every release", () => {
    const mounts = containerOf(podSpecOf(job('oro-install')), 'install').volumeMounts ?? [];
    expect(mounts.find((m) => m.mountPath === '/var/www/oro')).toEqual({ name: 'oro-app', mountPath: '/var/www/oro', subPath: 'releases/6.1.6' });
    expect(mounts.find((m) => m.mountPath === '/var/www/oro/var/cache')).toEqual({ name: 'cache', mountPath: '/var/www/oro/var/cache', subPath: '6.1.6' });
    expect(mounts.find((m) => m.mountPath === '/var/lib/oro-setup')).toEqual({ name: 'oro-app', mountPath: '/var/lib/oro-setup', subPath: 'setup' });
  });

  it('refuses a non-numeric table count', () => {
    expect(containerOf(podSpecOf(job('oro-install')), 'install').command?.[2]).toContain('unexpected table count');
  });

  it('carries the version label the waiters select on', () => {
    expect(job('oro-install').metadata?.labels).toMatchObject({ 'app.kubernetes.io/name': 'install', 'app.kubernetes.io/version': '6.1.6' });
    expect(job('oro-restore', devEnvironment()).spec?.template.metadata?.labels).toMatchObject({ 'app.kubernetes.io/name': 'restore', 'app.kubernetes.io/version': '6.1.6' });
  });

  it('takes its resources from the settings', () => {
    const env = testEnvironment('prod', { 'init-jobs': { resources: { limits: { memory: '4Gi' } } } });
    expect(containerOf(podSpecOf(job('oro-install', env)), 'install').resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
  });
});
