// The consumer's probe run for real against real processes whose argv is the one Oro 6.1's consumer container runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { consumerDeployment } from './consumer.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';

/**
 * `ps -eo pid,etime,args` inside the consumer container of Oro's 6.1.6 demo, captured by a third party
 * (github.com/aniruddhadeshpande/oro_study, logs/phase5-consumer-processes-20260906T190031.log): the job-runner, and
 * the worker it respawns every 15 minutes.
 */
const RUNNER = 'php /opt/job-runner.phar run --present=/var/www/oro/bin/console --lock=/var/www/oro/var/maintenance/maintenance_lock php /var/www/oro/bin/console --no-interaction --no-ansi oro:message-queue:transport:consume oro.default --memory-limit=1024 --time-limit=15minutes';
const WORKER = 'php /var/www/oro/bin/console --no-interaction --no-ansi oro:message-queue:transport:consume oro.default --memory-limit=1024 --time-limit=15minutes';

const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(null) : (p.once('exit', resolve), p.kill('SIGKILL'))))));
});

beforeAll(() => requirePrograms('bash', 'grep', 'sleep'));

/**
 * A process whose argv is `line` word for word: bash's `exec -a` sets argv[0] (`php`), and a bash that only sleeps
 * takes the rest as its positional parameters; the only extra words are bash's own `-c` and its one-word script.
 */
async function processWith(line: string): Promise<ChildProcess> {
  const [argv0, ...rest] = line.split(' ');
  const child = spawn('bash', ['-c', `exec -a ${argv0} bash -c 'sleep 60; exit' ${rest.join(' ')}`], { stdio: 'ignore' });
  running.push(child);
  const cmdline = () => {
    try {
      return readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      return [];
    }
  };
  for (let i = 0; i < 100 && cmdline()[0] !== argv0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(cmdline()).toEqual([argv0, '-c', 'sleep 60; exit', ...rest]);
  return child;
}

function probe(kind: 'readinessProbe' | 'livenessProbe') {
  const container = consumerDeployment(testEnvironment('prod')).spec?.template.spec?.containers.find((c) => c.name === 'consumer');
  const command = container?.[kind]?.exec?.command ?? [];
  expect(command.slice(0, 2)).toEqual(['bash', '-c']);
  return spawnSync(command[0] ?? '', command.slice(1), { encoding: 'utf8', timeout: 5_000 });
}

/**
 * A probe sees every process of its PID namespace: in a pod that is the pod, here it is the whole machine. A negative
 * case is only meaningful when no other process (say, someone's `grep` for the same words) carries the command line.
 */
function expectNoForeignConsumer(): void {
  const foreign = spawnSync('sh', ['-c', "grep -ls 'oro:message-queue:transport[:]consume' /proc/[0-9]*/cmdline"], { encoding: 'utf8' }).stdout.trim();
  if (foreign) throw new Error(`another process on this machine carries the consumer's command line (${foreign.replace(/\n/g, ', ')}); stop it and run again`);
}

describe('the consumer probes, run for real', () => {
  it('pass while the job-runner and its worker run', async () => {
    await processWith(RUNNER);
    await processWith(WORKER);
    expect(probe('readinessProbe').status).toBe(0);
    expect(probe('livenessProbe').status).toBe(0);
  });

  it('stay green while the runner respawns its worker (only the runner is alive)', async () => {
    await processWith(RUNNER);
    expect(probe('readinessProbe').status).toBe(0);
    expect(probe('livenessProbe').status).toBe(0);
  });

  it('fail when no consumer runs, although their own command line holds the pattern', () => {
    expectNoForeignConsumer();
    expect(probe('readinessProbe').status).toBe(1);
    expect(probe('livenessProbe').status).toBe(1);
  });

  it('fail for the command the old probe looked for, which Oro 6.1 never runs', async () => {
    await processWith('php /var/www/oro/bin/console oro:message-queue:consume');
    expectNoForeignConsumer();
    expect(probe('livenessProbe').status).toBe(1);
  });
});
