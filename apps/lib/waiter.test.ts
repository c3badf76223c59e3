// The init-job waiters: kubectl alone (no shell), one create-wait per Job in order, then one complete-wait over exactly those Jobs.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { initJobs } from '../init-jobs/jobs.ts';
import { jobsSelector, waiterTimeoutSeconds, waitForJobs } from './waiter.ts';

const env = testEnvironment();
const jobs = initJobs(env);
const waiters = waitForJobs(env, 'init-jobs', jobs);

describe('the init-job waiters', () => {
  it('run kubectl itself, never a shell, from the pinned kubectl image', () => {
    for (const c of waiters) {
      expect(c.command?.slice(0, 3), c.name).toEqual(['/bin/kubectl', 'wait', 'job']);
      expect(c.args, c.name).toBeUndefined();
      expect(c.image).toBe('registry.k8s.io/kubectl:v1.33.5');
    }
  });

  it('wait for each Job to exist, in the order Argo CD creates them, then for all of them to complete', () => {
    expect(waiters.map((c) => c.name)).toEqual([...jobs.map((j) => `wait-created-${j.metadata.name}`), 'wait-for-init-jobs']);
    for (const [i, job] of jobs.entries()) {
      const command = waiters[i]?.command ?? [];
      expect(command).toContain('--for=create');
      expect(command).toContain(`--selector=${jobsSelector([job])}`);
      expect(command.find((a) => a.startsWith('--selector='))).toContain(`app.kubernetes.io/name=${job.metadata.labels?.['app.kubernetes.io/name']}`);
    }
    expect(waiters.at(-1)?.command).toContain('--for=condition=complete');
  });

  it('select the Jobs of this image version only, and exactly the init jobs', () => {
    expect(jobsSelector(jobs)).toBe(
      'app.kubernetes.io/name in (install,oro-cache-warmup,oro-maintenance-off,oro-maintenance-on,oro-upgrade-backup,volume-init),app.kubernetes.io/instance=orocommerce-test,app.kubernetes.io/component=init-jobs,app.kubernetes.io/version=6.1.6',
    );
    expect(() => jobsSelector([{ ...jobs[0]!, metadata: { name: 'x', labels: { a: 'b' } } }, jobs[1]!])).toThrow(/differ in their keys/);
  });

  it('give every kubectl an explicit timeout that outlasts the init jobs, its namespace and a writable cache', () => {
    const timeout = waiterTimeoutSeconds(jobs);
    expect(timeout).toBe(jobs.reduce((sum, j) => sum + (j.spec?.activeDeadlineSeconds ?? 0), 600));
    expect(jobs.every((j) => (j.spec?.activeDeadlineSeconds ?? 0) > 0)).toBe(true);
    for (const c of waiters) {
      expect(c.command).toEqual(expect.arrayContaining([`--timeout=${timeout}s`, '--namespace=orocommerce-test', '--cache-dir=/tmp/.kube']));
    }
  });

  it('hold the API token and run as www-data, never root', () => {
    for (const c of waiters) {
      expect(c.volumeMounts?.map((m) => m.mountPath)).toEqual(['/var/run/secrets/kubernetes.io/serviceaccount', '/tmp']);
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: env.oro.uid, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });
});
