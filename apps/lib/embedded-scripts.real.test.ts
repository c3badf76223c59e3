// Every shell script embedded in the rendered output of every environment passes shellcheck (the real program).
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../index.ts';
import { REPO_ROOT } from '../../scripts/lib/cli.ts';
import { buildRender } from '../../scripts/lib/render.ts';
import { renderValidator } from '../../scripts/lib/validate/index.ts';
import { embeddedScripts, type EmbeddedScript } from './embedded-scripts.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';


/**
 * Findings left out for every script, each a note about code that is right by construction: SC2016, because scripts
 * carry PHP (setup's table count) and awk in single quotes, where `$` is that language's; SC2012, because `ls` only
 * lists file names the same script wrote (the backup's dated dumps). Everything else, notes included, fails.
 */
const EXCLUDED = ['SC2016', 'SC2012'];

let scripts: (EmbeddedScript & { file: string })[] = [];

beforeAll(async () => {
  requirePrograms('shellcheck');
  const result = await buildRender({ root: REPO_ROOT, components: COMPONENTS, only: [], validate: renderValidator, secrets: requiredSecrets });
  scripts = result.docs.flatMap((doc) => embeddedScripts(doc.object).map((s) => ({ ...s, file: doc.file })));
});

describe('embedded shell scripts, under shellcheck', () => {
  it('are found in every environment, in jobs, init containers, probes and hooks', () => {
    for (const env of ['dev', 'staging', 'prod']) expect(scripts.filter((s) => s.file.startsWith(`rendered/${env}/`)).length, env).toBeGreaterThan(0);
    const where = scripts.map((s) => `${s.file} ${s.where}`);
    expect(where.some((w) => w.includes('job-volume-init') && w.includes('.initContainers['))).toBe(true);
    expect(where.some((w) => w.includes('livenessProbe.exec.command'))).toBe(true);
    expect(where.some((w) => w.includes('preStop.exec.command'))).toBe(true);
  });

  it('would fail on an unquoted expansion (the check can fail)', () => {
    const run = spawnSync('shellcheck', ['--shell=bash', `--exclude=${EXCLUDED.join(',')}`, '--format=gcc', '-'], { input: 'rm -rf $dir/x\n', encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('SC2086');
  });

  it('pass shellcheck, each in its own dialect', () => {
    const failures = [...new Map(scripts.map((s) => [`${s.shell}\0${s.script}`, s])).values()].flatMap((s) => {
      const run = spawnSync('shellcheck', [`--shell=${s.shell}`, `--exclude=${EXCLUDED.join(',')}`, '--format=gcc', '-'], { input: s.script, encoding: 'utf8' });
      return run.status === 0 ? [] : [`${s.file} ${s.where}:\n${run.stdout}${run.stderr}`];
    });
    expect(failures.join('\n')).toBe('');
  });
});
