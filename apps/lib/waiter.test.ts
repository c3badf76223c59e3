// The init-job waiter run for real against a stub kubectl: it retries until every Job exists and has completed, never crash-loops.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { initJobs } from '../init-jobs/jobs.ts';
import { waitForJobs } from './waiter.ts';

const env = testEnvironment();
/** The `app.kubernetes.io/name` of every init job, in order (install's is `install`). */
const JOB_NAMES = initJobs(env).map((j) => j.metadata.labels?.['app.kubernetes.io/name'] ?? '');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * Runs the waiter's script with `kubectl` and `sleep` stubbed on PATH. kubectl answers like the real one for a
 * selector naming a Job: complete when the Job is listed in `present`, "no matching resources found" otherwise.
 * Each sleep makes the next Job of `appearing` exist, as Argo CD creates the hooks one after the other.
 */
function runWaiter(present: string[], appearing: string[], timeoutMs = 10_000) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'waiter-'));
  dirs.push(dir);
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(dir, name), `#!/bin/bash\n${body}\n`);
    chmodSync(path.join(dir, name), 0o755);
  };
  writeFileSync(path.join(dir, 'present'), present.map((p) => `${p}\n`).join(''));
  writeFileSync(path.join(dir, 'appearing'), appearing.map((p) => `${p}\n`).join(''));
  stub(
    'kubectl',
    [
      `echo "$*" >> ${dir}/calls`,
      'job=$(printf "%s\\n" "$@" | sed -n "s/^--selector=app.kubernetes.io\\/name=\\([^,]*\\),.*/\\1/p")',
      `if grep -qx "$job" ${dir}/present; then echo "job.batch/$job condition met"; exit 0; fi`,
      'echo "error: no matching resources found" >&2; exit 1',
    ].join('\n'),
  );
  stub('sleep', [`echo sleep >> ${dir}/calls`, `head -n1 ${dir}/appearing >> ${dir}/present`, `sed -i 1d ${dir}/appearing`].join('\n'));
  const script = waitForJobs(env, 'init-jobs', initJobs(env)).command?.[2] ?? '';
  const result = spawnSync('bash', ['-c', script], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  const calls = readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
  return { result, calls };
}

describe('the init-job waiter', () => {
  it('waits for every init job by its own selector, version included, as one pass of a loop', () => {
    const script = waitForJobs(env, 'init-jobs', initJobs(env)).command?.[2] ?? '';
    expect(script).toMatch(/^until kubectl wait job --for=condition=complete --selector=app\.kubernetes\.io\/name=volume-init,[^ ]*app\.kubernetes\.io\/version=6\.1\.6 /);
    expect(script).toMatch(/&& \\\n {2}kubectl wait job --for=condition=complete --selector=app\.kubernetes\.io\/name=install,[^ ]*app\.kubernetes\.io\/version=6\.1\.6 /);
    expect(script).toContain('--namespace=orocommerce-test');
  });

  it('keeps retrying while the Jobs do not exist yet, and finishes once all of them have completed', () => {
    const { result, calls } = runWaiter([], JOB_NAMES);
    expect(result.status).toBe(0);
    expect(calls.filter((c) => c === 'sleep')).toHaveLength(JOB_NAMES.length);
    expect(calls.slice(-JOB_NAMES.length).map((c) => /name=([^,]*),/.exec(c)?.[1])).toEqual(JOB_NAMES);
    expect(result.stdout).toContain('waiting for volume-init, oro-upgrade-backup, oro-maintenance-on, oro-install, oro-cache-warmup, oro-maintenance-off of 6.1.6 to complete');
  });

  it('does not let a pod start while install is missing, even when every other init job has completed', () => {
    const { result, calls } = runWaiter(JOB_NAMES.filter((n) => n !== 'install'), [], 1_500);
    expect(result.status).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(calls.filter((c) => c.includes('name=install,')).length).toBeGreaterThan(1);
  });
});
