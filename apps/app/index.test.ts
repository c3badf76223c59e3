// The app component: php-fpm (Service, HPA, PDB, probes, graceful stop, waiter), consumer and cron.
import type { V1Deployment, V1PodDisruptionBudget, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { podSpecViolations } from '../../scripts/rules/lib/pss.ts';
import { containerOf, devEnvironment, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { component } from './index.ts';

const render = (env = testEnvironment()) => component.render(env);
const deployment = (name: string, env = testEnvironment()) => find<V1Deployment>(render(env), 'Deployment', name);
const phpFpmPod = (env = testEnvironment()) => podSpecOf(deployment('orocommerce-app', env));
const phpFpm = (env = testEnvironment()) => containerOf(phpFpmPod(env), 'php-fpm');

describe('app component', () => {
  it('is wave 3 and renders php-fpm, consumer and cron with their accounts', () => {
    expect(component.wave).toBe(3);
    expect(names(render()).sort()).toEqual([
      'Deployment/orocommerce-app',
      'Deployment/orocommerce-app-consumer',
      'Deployment/orocommerce-app-cron',
      'HorizontalPodAutoscaler/orocommerce-app',
      'NetworkPolicy/allow-egress-to-php-fpm',
      'NetworkPolicy/allow-to-php-fpm',
      'PodDisruptionBudget/orocommerce-app',
      'RoleBinding/orocommerce-app-consumer-job-waiter',
      'RoleBinding/orocommerce-app-cron-job-waiter',
      'RoleBinding/orocommerce-app-job-waiter',
      'Service/orocommerce-app-php-fpm',
      'ServiceAccount/orocommerce-app',
      'ServiceAccount/orocommerce-app-consumer',
      'ServiceAccount/orocommerce-app-cron',
    ]);
  });
});

describe('php-fpm', () => {
  it('runs the runtime image, pinned by digest, with `php-fpm` and FastCGI on 9000', () => {
    expect(phpFpm().image).toBe('oroinc/runtime:6.1-latest@sha256:95777d7291f3a9856c6b3a559c2e183b00c6053744fdd1adcab3513812db4706');
    expect(phpFpm().args).toEqual(['php-fpm']);
    expect(phpFpm().ports).toEqual([{ name: 'fastcgi', containerPort: 9000, protocol: 'TCP' }]);
  });

  it('is reached through Service orocommerce-app-php-fpm on 9000', () => {
    const svc = find<V1Service>(render(), 'Service', 'orocommerce-app-php-fpm');
    expect(svc.spec?.ports?.[0]).toEqual({ name: 'fastcgi', port: 9000, targetPort: 'fastcgi', protocol: 'TCP' });
    expect(svc.spec?.selector).toEqual(deployment('orocommerce-app').spec?.selector.matchLabels);
  });

  it('probes with php-fpm-healthcheck and a TCP connect, never HTTP, with a startup budget of startupSeconds', () => {
    const c = phpFpm(testEnvironment('prod', { app: { 'php-fpm': { startupSeconds: 600 } } }));
    expect(c.startupProbe?.exec?.command).toEqual(['php-fpm-healthcheck']);
    expect((c.startupProbe?.failureThreshold ?? 0) * (c.startupProbe?.periodSeconds ?? 0)).toBeGreaterThanOrEqual(600);
    expect(c.readinessProbe?.exec?.command).toEqual(['php-fpm-healthcheck']);
    expect(c.livenessProbe?.tcpSocket?.port).toBe('fastcgi');
    expect(JSON.stringify(c)).not.toContain('httpGet');
  });

  it('stops gracefully: drain, SIGQUIT, wait for requests, within the grace period', () => {
    const script = phpFpm().lifecycle?.preStop?.exec?.command?.[2] ?? '';
    expect(script).toMatch(/^sleep 5\n/);
    expect(script).toContain('kill -QUIT "$pid"');
    expect(script).toContain('$(seq 60)');
    expect(phpFpmPod().terminationGracePeriodSeconds).toBeGreaterThan(5 + 60);
  });

  it('renders no replicas: the HPA owns them', () => {
    expect(deployment('orocommerce-app').spec).not.toHaveProperty('replicas');
    expect(deployment('orocommerce-app').spec?.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it('scales between the settings on CPU 70% and memory 80%, down slowly', () => {
    const hpa = find<V2HorizontalPodAutoscaler>(render(prodEnvironment()), 'HorizontalPodAutoscaler', 'orocommerce-app');
    expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orocommerce-app' });
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(hpa.spec?.metrics?.map((m) => [m.resource?.name, m.resource?.target.averageUtilization])).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
    expect(hpa.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(300);
    expect(hpa.spec?.behavior?.scaleUp?.policies).toEqual([{ type: 'Pods', value: 2, periodSeconds: 60 }]);
  });

  it('lets a drain take one pod at a time, even an unhealthy one', () => {
    const pdb = find<V1PodDisruptionBudget>(render(), 'PodDisruptionBudget', 'orocommerce-app');
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(pdb.spec?.selector?.matchLabels).toEqual(deployment('orocommerce-app').spec?.selector.matchLabels);
  });

  it('waits for volume-init and install with a pinned kubectl, no shell, that alone holds an API token', () => {
    const pod = phpFpmPod();
    const created = containerOf(pod, 'wait-created-oro-install');
    expect(created.command).toContain('--selector=app.kubernetes.io/name=install,app.kubernetes.io/instance=orocommerce-test,app.kubernetes.io/component=init-jobs,app.kubernetes.io/version=6.1.6');
    const waiter = containerOf(pod, 'wait-for-init-jobs');
    expect(waiter.image).toBe('registry.k8s.io/kubectl:v1.33.5');
    expect(waiter.command?.slice(0, 4)).toEqual(['/bin/kubectl', 'wait', 'job', '--for=condition=complete']);
    expect(waiter.command).toContain('--selector=app.kubernetes.io/name in (install,oro-cache-warmup,oro-maintenance-off,oro-maintenance-on,oro-upgrade-backup,volume-init),app.kubernetes.io/instance=orocommerce-test,app.kubernetes.io/component=init-jobs,app.kubernetes.io/version=6.1.6');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(waiter.volumeMounts?.map((m) => m.mountPath)).toContain('/var/run/secrets/kubernetes.io/serviceaccount');
    expect(phpFpm().volumeMounts?.map((m) => m.name)).not.toContain('kube-api-access');
    expect(deployment('orocommerce-app').spec?.template.metadata?.labels).toMatchObject({ 'orocommerce.io/api-client': 'job-waiter' });
  });

  it("mounts the release's code and cache by subPath, and the sessions every release shares", () => {
    const mounts = Object.fromEntries((phpFpm().volumeMounts ?? []).map((m) => [m.mountPath, m]));
    expect(mounts['/var/www/oro']).toEqual({ name: 'oro-app', mountPath: '/var/www/oro', subPath: 'releases/6.1.6' });
    expect(mounts['/var/www/oro/var/cache']).toEqual({ name: 'cache', mountPath: '/var/www/oro/var/cache', subPath: '6.1.6' });
    expect(mounts['/var/www/oro/var/sessions']).toEqual({ name: 'oro-app', mountPath: '/var/www/oro/var/sessions', subPath: 'sessions' });
  });

  it("mounts Compose's volumes from the seed's PVCs, multihost and /tmp as emptyDirs", () => {
    const pod = phpFpmPod();
    expect(pod.volumes?.filter((v) => v.persistentVolumeClaim).map((v) => v.persistentVolumeClaim?.claimName)).toEqual([
      'pvc-oro-app', 'pvc-cache', 'pvc-public-storage', 'pvc-private-storage', 'pvc-maintenance',
    ]);
    expect(pod.volumes?.find((v) => v.name === 'multihost')?.emptyDir).toEqual({});
    expect(pod.volumes?.find((v) => v.name === 'tmp')?.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '256Mi' });
    const mounts = Object.fromEntries((phpFpm().volumeMounts ?? []).map((m) => [m.mountPath, m]));
    expect(mounts['/var/www/oro']?.name).toBe('oro-app');
    expect(mounts['/var/www/oro/var/cache']?.readOnly).toBeUndefined();
    expect(mounts['/run/php-fpm']?.name).toBe('scratch');
  });

  it('runs as www-data, restricted, with a read-only image filesystem and no service links', () => {
    const pod = phpFpmPod();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2002, runAsGroup: 2001, fsGroup: 2001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(phpFpm().securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.serviceAccountName).toBe('orocommerce-app');
  });

  it("takes the seed's resources by default and an environment's override", () => {
    expect(phpFpm().resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } });
    const env = testEnvironment('prod', { app: { 'php-fpm': { resources: { requests: { memory: '1Gi' } } } } });
    expect(phpFpm(env).resources?.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  it('spreads over zones strictly where the environment asks for it, always softly over nodes', () => {
    const spread = (env: ReturnType<typeof testEnvironment>) => phpFpmPod(env).topologySpreadConstraints?.map((t) => [t.topologyKey, t.whenUnsatisfiable]);
    expect(spread(prodEnvironment())).toEqual([
      ['topology.kubernetes.io/zone', 'DoNotSchedule'],
      ['kubernetes.io/hostname', 'ScheduleAnyway'],
    ]);
    expect(spread(devEnvironment())?.[0]).toEqual(['topology.kubernetes.io/zone', 'ScheduleAnyway']);
    const constraint = phpFpmPod().topologySpreadConstraints?.[0];
    expect(constraint?.labelSelector?.matchLabels).toEqual(deployment('orocommerce-app').spec?.selector.matchLabels);
    expect(constraint?.matchLabelKeys).toEqual(['pod-template-hash']);
  });

  it('adds the php-fpm exporter and a `metrics` Service port only with monitoring', () => {
    expect(phpFpmPod().containers.map((c) => c.name)).toEqual(['php-fpm', 'php-fpm-exporter']);
    expect(find<V1Service>(render(), 'Service', 'orocommerce-app-php-fpm').spec?.ports?.map((p) => p.name)).toEqual(['fastcgi', 'metrics']);
    const dev = devEnvironment();
    expect(phpFpmPod(dev).containers.map((c) => c.name)).toEqual(['php-fpm']);
    expect(find<V1Service>(render(dev), 'Service', 'orocommerce-app-php-fpm').spec?.ports?.map((p) => p.name)).toEqual(['fastcgi']);
  });

  it('rolls its pods when the settings change', () => {
    const checksum = (env: ReturnType<typeof testEnvironment>) => deployment('orocommerce-app', env).spec?.template.metadata?.annotations?.['orocommerce.io/config-checksum'];
    expect(checksum(testEnvironment())).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(testEnvironment('test', { app: { phpMemoryLimit: '2G' } }))).not.toBe(checksum(testEnvironment()));
  });
});

describe('consumer', () => {
  const pod = (env = testEnvironment()) => podSpecOf(deployment('orocommerce-app-consumer', env));

  it('runs `consumer` with the replicas and grace period of the settings', () => {
    const env = prodEnvironment();
    expect(deployment('orocommerce-app-consumer', env).spec?.replicas).toBe(2);
    expect(containerOf(pod(env), 'consumer').args).toEqual(['consumer']);
    expect(pod(env).terminationGracePeriodSeconds).toBe(300);
    expect(pod(env).shareProcessNamespace).toBe(true);
  });

  it('waits for the init jobs like php-fpm, with a ServiceAccount bound to the job-waiter Role', () => {
    expect(pod().initContainers?.map((c) => c.name)).toEqual(['wait-created-volume-init', 'wait-created-oro-upgrade-backup', 'wait-created-oro-maintenance-on', 'wait-created-oro-install', 'wait-created-oro-cache-warmup', 'wait-created-oro-maintenance-off', 'wait-for-init-jobs']);
    expect(pod().volumes?.map((v) => v.name)).toContain('kube-api-access');
    expect(containerOf(pod(), 'consumer').volumeMounts?.map((m) => m.name)).not.toContain('kube-api-access');
    expect(names(render())).toContain('RoleBinding/orocommerce-app-consumer-job-waiter');
  });

  it('checks that the consume process is alive', () => {
    const c = containerOf(pod(), 'consumer');
    expect(c.livenessProbe?.exec?.command?.[2]).toBe("grep -qs 'oro:message-queue:transport[:]consume' /proc/[0-9]*/cmdline");
    expect(c.readinessProbe).toEqual(c.livenessProbe);
  });

  it('gets a PDB only when it runs several replicas', () => {
    expect(names(render(prodEnvironment()))).toContain('PodDisruptionBudget/orocommerce-app-consumer');
    expect(names(render())).not.toContain('PodDisruptionBudget/orocommerce-app-consumer');
  });
});

describe('cron', () => {
  const cron = (env = testEnvironment()) => deployment('orocommerce-app-cron', env);

  it('runs one `cron` pod, recreated rather than rolled', () => {
    expect(cron().spec?.replicas).toBe(1);
    expect(cron().spec?.strategy).toEqual({ type: 'Recreate' });
    expect(containerOf(podSpecOf(cron()), 'cron').args).toEqual(['cron']);
  });

  it("runs crond as root with Docker's defaults that cronie and PAM need, all within Pod Security baseline, everything else locked down", () => {
    const pod = podSpecOf(cron());
    expect(pod.securityContext?.runAsNonRoot).toBeUndefined();
    expect(containerOf(pod, 'cron').securityContext).toMatchObject({
      runAsUser: 0,
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID', 'DAC_OVERRIDE', 'AUDIT_WRITE'] },
    });
    expect(podSpecViolations(pod).filter((v) => v.profile === 'baseline')).toEqual([]);
    expect(pod.volumes?.map((v) => v.name)).toContain('multihost');
  });

  it('waits for the init jobs with a waiter that is not root, unlike crond', () => {
    const waiter = containerOf(podSpecOf(cron()), 'wait-for-init-jobs');
    expect(waiter.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2002, runAsGroup: 2001, capabilities: { drop: ['ALL'] } });
    expect(names(render())).toContain('RoleBinding/orocommerce-app-cron-job-waiter');
  });

  it('takes its resources from the settings', () => {
    expect(containerOf(podSpecOf(cron()), 'cron').resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
  });
});
