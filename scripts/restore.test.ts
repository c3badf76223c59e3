// npm run restore and npm run clone, without a cluster: the Job they would create, the refusals, the hand-over to the cluster call.
import type { V1Job } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main as clone } from './clone.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { main as restore } from './restore.ts';

const NOW = new Date('2026-12-05T07:30:00Z');

async function run(cli: typeof restore, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const created: { job: V1Job; target: unknown }[] = [];
  const code = await cli(argv, REPO_ROOT, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) }, async (job, target) => {
    created.push({ job, target });
    return job.metadata?.name ?? '';
  }, NOW);
  return { code, out: out.join(''), err: err.join(''), created };
}

const containers = (job: V1Job) => [...(job.spec?.template.spec?.initContainers ?? []), ...(job.spec?.template.spec?.containers ?? [])].map((c) => c.name);

describe('npm run restore', () => {
  it('creates a Job that turns maintenance on, restores the nightly dump from pvc-db-backup, then records it', async () => {
    const r = await run(restore, ['--env', 'staging', '--backup', 'orodb-20261205T031700Z.dump', '--context', 'staging-admin']);
    expect(r.code).toBe(0);
    const { job, target } = r.created[0] ?? { job: {} as V1Job, target: undefined };
    expect(target).toEqual({ context: 'staging-admin', kubeconfig: undefined });
    expect(job.metadata).toMatchObject({ name: 'database-restore-20261205t073000z', namespace: 'orocommerce-staging' });
    expect(containers(job)).toEqual(['maintenance-on', 'restore', 'record']);
    expect(job.spec?.template.spec?.volumes?.[0]).toEqual({ name: 'dumps', persistentVolumeClaim: { claimName: 'pvc-db-backup', readOnly: true } });
    expect(job.spec?.backoffLimit).toBe(0);
    expect(r.out).toContain('kubectl --context staging-admin -n orocommerce-staging logs -f job/database-restore-20261205t073000z --all-containers');
    expect(r.out).toContain('argocd app sync orocommerce-staging-init-jobs');
  });

  it('takes a pre-upgrade dump from its own volume', async () => {
    const r = await run(restore, ['--env', 'staging', '--backup', 'pre-upgrade-orodb-20261205T031700Z-from-6.1.5-to-6.1.6.dump', '--dry-run']);
    const job = parse(r.out) as V1Job;
    expect(job.spec?.template.spec?.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe('pvc-db-upgrade-backup');
    expect(r.created).toEqual([]);
  });

  it('refuses prod without the confirmation flag, and accepts it with', async () => {
    const refused = await run(restore, ['--env', 'prod', '--backup', 'orodb-20261205T031700Z.dump']);
    expect(refused).toMatchObject({ code: 1, created: [] });
    expect(refused.err).toBe("restore: refusing to overwrite prod's database without --yes-really-restore-prod\n");
    expect((await run(restore, ['--env', 'prod', '--backup', 'offsite:20261205T031700Z', '--yes-really-restore-prod'])).code).toBe(0);
  });

  it('refuses a backup id it cannot place, and off-cluster backups an environment does not keep', async () => {
    const bad = await run(restore, ['--env', 'staging', '--backup', '../etc/passwd']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('is neither a dump file name');
    const none = await run(restore, ['--env', 'staging', '--backup', 'offsite:20261205T031700Z']);
    expect(none.err).toContain('staging keeps no off-cluster backups');
  });

  it('needs --env and --backup', async () => {
    await expect(run(restore, ['--env', 'staging'])).rejects.toThrow(/--env and --backup are required/);
  });
});

describe('npm run clone', () => {
  it("restores prod's off-cluster backup into staging with the anonymisation, reading prod's bucket through its own Secret", async () => {
    const r = await run(clone, ['--from', 'prod', '--to', 'staging', '--backup', 'offsite:20261205T031700Z']);
    expect(r.code).toBe(0);
    const job = r.created[0]?.job ?? ({} as V1Job);
    expect(job.metadata?.namespace).toBe('orocommerce-staging');
    expect(containers(job)).toEqual(['maintenance-on', 'fetch', 'restore', 'record']);
    const fetch = job.spec?.template.spec?.initContainers?.find((c) => c.name === 'fetch');
    expect(new Set(fetch?.env?.flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [])))).toEqual(new Set(['database-backup-offsite-prod']));
    const restoreScript = job.spec?.template.spec?.initContainers?.find((c) => c.name === 'restore')?.command?.[2];
    expect(restoreScript).toContain("file='/restore/orodb-20261205T031700Z.dump'");
    expect(restoreScript).toContain("PERFORM pg_temp.anonymise('oro_customer_user'");
    expect(job.metadata?.annotations).toMatchObject({ 'orocommerce.io/anonymised': 'true' });
  });

  it('keeps customer data only when asked to', async () => {
    const r = await run(clone, ['--from', 'prod', '--to', 'staging', '--backup', 'offsite:20261205T031700Z', '--no-anonymise', '--dry-run']);
    expect(r.out).not.toContain('pg_temp.anonymise');
    expect(r.out).toContain('orocommerce.io/anonymised: "false"');
  });

  it('refuses prod as the target without confirmation, a source without off-cluster backups, and a volume dump', async () => {
    expect((await run(clone, ['--from', 'staging', '--to', 'prod', '--backup', 'offsite:20261205T031700Z'])).err).toContain('--yes-really-restore-prod');
    expect((await run(clone, ['--from', 'staging', '--to', 'dev', '--backup', 'offsite:20261205T031700Z'])).err).toContain('staging keeps no off-cluster backups');
    expect((await run(clone, ['--from', 'prod', '--to', 'staging', '--backup', 'orodb-20261205T031700Z.dump'])).err).toContain('--backup must be an off-cluster backup');
  });
});
