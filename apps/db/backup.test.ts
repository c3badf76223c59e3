// The db component's nightly backup (D-21): names, schedule, image, address, credentials, limits, identity, volume, the script run for real, and the full render.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { V1CronJob, V1PersistentVolumeClaim, V1PodSpec, V1StatefulSet } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../scripts/lib/environment/load.ts';
import type { Environment, EnvironmentFile } from '../../scripts/lib/environment/schema.ts';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { renderEnvironmentDocs } from '../../scripts/lib/pipeline.ts';
import { applyTransforms } from '../../scripts/lib/transforms/index.ts';
import { validateDocs } from '../../scripts/lib/validate/index.ts';
import { podSpecViolations } from '../../scripts/rules/lib/pss.ts';
import { labelSelectorSelects } from '../../scripts/rules/lib/selectors.ts';
import { COMPONENTS, requiredSecrets } from '../index.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { servicePort } from '../lib/objects.ts';
import { DB_PASSWORD_KEY, DB_SECRET_NAME } from '../lib/secrets.ts';
import { containerOf, find, names, podSpecOf, prodEnvironment } from '../lib/testing.ts';
import { BACKUP_CLAIM, BACKUP_DIR, BACKUP_NAME, backupScript } from './backup.ts';
import { component } from './index.ts';
import { databaseService, POSTGRES_PORT } from './service.ts';
import { POSTGRES_UID } from './statefulset.ts';

const render = (env = testEnvironment()) => component.render(env);
const cronJob = (env = testEnvironment()) => find<V1CronJob>(render(env), 'CronJob', BACKUP_NAME);
const claim = (env = testEnvironment()) => find<V1PersistentVolumeClaim>(render(env), 'PersistentVolumeClaim', BACKUP_CLAIM);
const backupPod = (env = testEnvironment()): V1PodSpec => {
  const spec = cronJob(env).spec?.jobTemplate.spec?.template.spec;
  if (!spec) throw new Error('no pod template in the CronJob');
  return spec;
};
const pgDump = (env = testEnvironment()) => containerOf(backupPod(env), 'pg-dump');
const envValue = (name: string, env = testEnvironment()) => pgDump(env).env?.find((e) => e.name === name);
const script = (env = testEnvironment()) => pgDump(env).command?.[2] ?? '';
const withBackup = (backup: NonNullable<EnvironmentFile['db']>['backup']) => testEnvironment('prod', { db: { backup } });

describe('the backup objects', () => {
  it('are a CronJob, its ServiceAccount and its volume, named after the database', () => {
    const backup = names(render()).filter((n) => n.includes('backup'));
    expect(backup.sort()).toEqual(['CronJob/database-orocommerce-backup', 'PersistentVolumeClaim/pvc-db-backup', 'ServiceAccount/database-orocommerce-backup']);
  });

  it('are not rendered when db.backup.enabled is false, the volume included', () => {
    const rendered = names(render(withBackup({ enabled: false })));
    expect(rendered.filter((n) => n.includes('backup'))).toEqual([]);
    expect(rendered).toContain('StatefulSet/database-orocommerce');
  });

  it('are rendered for environments/prod.yaml (D-21: prod renders a backup object)', async () => {
    const prod = await loadEnvironment(REPO_ROOT, 'prod');
    expect(names(render(prod))).toEqual(expect.arrayContaining([`CronJob/${BACKUP_NAME}`, `PersistentVolumeClaim/${BACKUP_CLAIM}`]));
  });
});

describe('the backup CronJob', () => {
  it('runs nightly at 03:17 UTC by default and takes its schedule from the settings', () => {
    expect(cronJob().spec).toMatchObject({ schedule: '17 3 * * *', timeZone: 'Etc/UTC' });
    expect(cronJob(withBackup({ schedule: '45 1 * * 0' })).spec?.schedule).toBe('45 1 * * 0');
    expect(cronJob(withBackup({ schedule: '@daily' })).spec?.schedule).toBe('@daily');
  });

  it.each(['every night', '17 3 * *', '17 3 * * * *', 'CRON_TZ=UTC 17 3 * * *', ''])('refuses the schedule %j', (schedule) => {
    expect(() => withBackup({ schedule })).toThrow(/cron expression/);
  });

  it('never overlaps, starts late by at most an hour, keeps three Jobs of each outcome (D-20)', () => {
    const spec = cronJob().spec;
    expect(spec?.concurrencyPolicy).toBe('Forbid');
    expect(spec?.startingDeadlineSeconds).toBe(3600);
    expect(spec?.successfulJobsHistoryLimit).toBe(3);
    expect(spec?.failedJobsHistoryLimit).toBe(3);
    expect(spec?.jobTemplate.spec?.ttlSecondsAfterFinished).toBeUndefined();
  });

  it('retries once, stops a run at its deadline (from the settings) and never restarts a container in place', () => {
    expect(cronJob().spec?.jobTemplate.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 10800 });
    expect(cronJob(withBackup({ activeDeadlineSeconds: 1800 })).spec?.jobTemplate.spec?.activeDeadlineSeconds).toBe(1800);
    expect(backupPod().restartPolicy).toBe('Never');
  });

  it("runs the StatefulSet's image, so pg_dump matches the server's version, and labels it with that version", () => {
    for (const env of [testEnvironment(), testEnvironment('prod', { db: { image: { tag: '17.4-alpine', digest: `sha256:${'a'.repeat(64)}` } } })]) {
      const sts = find<V1StatefulSet>(render(env), 'StatefulSet', 'database-orocommerce');
      expect(pgDump(env).image).toBe(containerOf(podSpecOf(sts), 'postgresql').image);
      expect(cronJob(env).spec?.jobTemplate.spec?.template.metadata?.labels?.['app.kubernetes.io/version']).toBe(env.db.image.tag);
    }
  });

  it('connects to the host and port of the database Service, read from the Service object', () => {
    const service = databaseService(testEnvironment());
    expect(envValue('PGHOST')?.value).toBe(service.metadata.name);
    expect(envValue('PGPORT')?.value).toBe(String(servicePort(service, POSTGRES_PORT.name)));
  });

  it('logs in as the application role to its database, the password read from the credentials Secret', () => {
    const env = testEnvironment('prod', { db: { user: 'shop', database: 'shopdb' } });
    expect(envValue('PGUSER', env)?.value).toBe('shop');
    expect(envValue('PGDATABASE', env)?.value).toBe('shopdb');
    expect(envValue('PGPASSWORD')).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: DB_SECRET_NAME, key: DB_PASSWORD_KEY } } });
  });

  it("runs restricted as the image's postgres user, read-only but for the backup volume and /tmp, with its own tokenless ServiceAccount", () => {
    const pod = backupPod();
    expect(podSpecViolations(pod)).toEqual([]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID, fsGroup: POSTGRES_UID, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pgDump().securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pgDump().volumeMounts).toEqual([
      { name: 'backups', mountPath: BACKUP_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(BACKUP_NAME);
    expect(names(render())).toContain(`ServiceAccount/${BACKUP_NAME}`);
  });

  it('takes its resources from the settings', () => {
    expect(pgDump().resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(pgDump(withBackup({ resources: { limits: { memory: '1Gi' } } })).resources?.limits?.memory).toBe('1Gi');
  });

  it('is let through both database policies once the pipeline has labelled its pods, and is no database endpoint itself', () => {
    const env = testEnvironment();
    const objects = applyTransforms(render(env), { env, component: 'db', wave: component.wave });
    const labels = find<V1CronJob>(objects, 'CronJob', BACKUP_NAME).spec?.jobTemplate.spec?.template.metadata?.labels ?? {};
    const egress = find<NetworkPolicy>(objects, 'NetworkPolicy', 'allow-egress-to-database');
    const ingress = find<NetworkPolicy>(objects, 'NetworkPolicy', 'allow-to-database');
    expect(labelSelectorSelects(egress.spec.podSelector, labels)).toBe(true);
    expect(labelSelectorSelects(ingress.spec.ingress?.[0]?.from?.[0]?.podSelector, labels)).toBe(true);
    expect(labelSelectorSelects({ matchLabels: databaseService(env).spec?.selector }, labels)).toBe(false);
  });
});

describe('the backup volume', () => {
  it('is a 20Gi ReadWriteOnce claim mounted by the CronJob alone, kept by Argo CD on prune and delete', () => {
    expect(claim().spec?.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim().spec?.resources?.requests?.storage).toBe('20Gi');
    expect(claim().metadata?.annotations?.['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=false');
    expect(backupPod().volumes).toContainEqual({ name: 'backups', persistentVolumeClaim: { claimName: BACKUP_CLAIM } });
    const mounting = render().filter((o) => JSON.stringify(o.spec ?? {}).includes(`"claimName":"${BACKUP_CLAIM}"`));
    expect(names(mounting)).toEqual([`CronJob/${BACKUP_NAME}`]);
  });

  it("takes its own size and class, else the database volume's class, else the cluster default", () => {
    expect(claim().spec?.storageClassName).toBeUndefined();
    expect(claim(prodEnvironment()).spec?.storageClassName).toBe('gp3');
    const own = withBackup({ storage: { size: '200Gi', storageClassName: 'backup-hdd' } });
    expect(claim(own).spec).toMatchObject({ storageClassName: 'backup-hdd', resources: { requests: { storage: '200Gi' } } });
  });
});

describe('the backup script', () => {
  it('dumps in custom format, verifies the dump before renaming it, then prunes to the retention', () => {
    const s = script();
    const at = (needle: string) => s.indexOf(needle);
    expect(s).toContain('pg_dump -Fc --no-password --file="$partial"');
    expect(s).toContain('final="orodb-$stamp.dump"');
    expect(s).toContain('stamp=$(date -u +%Y%m%dT%H%M%SZ)');
    expect(at('pg_restore --list "$partial"')).toBeGreaterThan(at('pg_dump -Fc'));
    expect(at('mv -- "$partial" "$final"')).toBeGreaterThan(at('pg_restore --list'));
    expect(at('keep=7')).toBeGreaterThan(at('mv --'));
    expect(script(withBackup({ retention: 3 }))).toContain('keep=3');
    expect(s.startsWith('set -eu\n')).toBe(true);
  });

  it('names the dumps after the database', () => {
    expect(script(testEnvironment('prod', { db: { database: 'shopdb' } }))).toContain('final="shopdb-$stamp.dump"');
  });
});

/** Runs the rendered script with `sh`, in a scratch directory instead of /backups, against fake pg_dump and pg_restore. */
describe('the backup script, run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'db-backup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'bin'));
  /** Each fake logs its call and fails when the call contains $FAIL_ON. */
  const fake = (name: string, body: string) => {
    const fail = 'case "$call" in *"${FAIL_ON:-(never)}"*) exit 1;; esac';
    writeFileSync(path.join(root, 'bin', name), `#!/bin/sh\ncall="${name} $*"\necho "$call" >> "$LOG"\n${body}\n${fail}\n`);
    chmodSync(path.join(root, 'bin', name), 0o755);
  };
  fake('pg_dump', 'for a; do case $a in --file=*) echo PGDMP > "${a#--file=}";; esac; done');
  fake('pg_restore', '');

  function run(env: Environment, dir: string, vars: Record<string, string> = {}) {
    const log = path.join(dir, '..', `${path.basename(dir)}.log`);
    const result = spawnSync('sh', ['-c', backupScript(env).replace(`cd ${BACKUP_DIR}`, `cd '${dir}'`)], {
      env: { ...process.env, PATH: `${path.join(root, 'bin')}:${process.env.PATH ?? ''}`, LOG: log, ...vars },
      encoding: 'utf8',
    });
    return { status: result.status, files: readdirSync(dir).filter((f) => !f.startsWith('.')).sort(), latest: existsSync(path.join(dir, '.latest')) ? readFileSync(path.join(dir, '.latest'), 'utf8').trim() : undefined, calls: readFileSync(log, 'utf8').trim().split('\n') };
  }

  function backups(name: string, existing: readonly string[]): string {
    const dir = path.join(root, name);
    mkdirSync(dir);
    for (const f of existing) writeFileSync(path.join(dir, f), 'old');
    return dir;
  }

  const OLD = ['orodb-20240101T031700Z.dump', 'orodb-20240102T031700Z.dump', 'orodb-20240103T031700Z.dump', 'orodb-20240104T031700Z.dump'];

  it('writes one verified dump and keeps the newest `retention` dumps, removing a stale partial file', () => {
    const dir = backups('ok', [...OLD, 'orodb-20240104T031700Z.dump.partial']);
    const { status, files, calls, latest } = run(withBackup({ retention: 3 }), dir);
    expect(status).toBe(0);
    expect(files).toHaveLength(3);
    expect(latest).toBe(files[2]);
    expect(files.slice(0, 2)).toEqual(OLD.slice(2));
    expect(files[2]).toMatch(/^orodb-\d{8}T\d{6}Z\.dump$/);
    const partial = `${files[2]}.partial`;
    expect(calls).toEqual([`pg_dump -Fc --no-password --file=${partial}`, `pg_restore --list ${partial}`, `pg_restore --file=/dev/null ${partial}`]);
  });

  it.each(['pg_dump', 'pg_restore --list', 'pg_restore --file'])('fails when `%s` fails, leaving the old dumps untouched and no partial file', (call) => {
    const dir = backups(`fail-${call.replaceAll(' ', '')}`, OLD);
    const { status, files } = run(withBackup({ retention: 1 }), dir, { FAIL_ON: call });
    expect(status).not.toBe(0);
    expect(files).toEqual(OLD);
  });
});

describe('the full render with the backup', () => {
  it.each(['dev', 'staging', 'prod'])('passes every validation rule for environments/%s.yaml', async (name) => {
    const env = await loadEnvironment(REPO_ROOT, name);
    const docs = renderEnvironmentDocs(env, COMPONENTS, `environments/${env.name}.yaml`, requiredSecrets(env));
    expect(docs.map((d) => d.file)).toContain(`rendered/${env.name}/db/cronjob-${BACKUP_NAME}.yaml`);
    expect(validateDocs(docs, { kubernetesVersion: env.kubernetesVersion })).toEqual([]);
  });
});
