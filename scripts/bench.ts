// `npm run bench`: times the render of the shipped environments and of 100 generated ones (a script, not a test).
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { COMPONENTS, requiredSecrets } from '../apps/index.ts';
import { isMain, REPO_ROOT } from './lib/cli.ts';
import { measureFleetDiff } from './lib/bench/fleet-diff.ts';
import { TEST_REPO_URL } from './lib/environment/testing.ts';
import { buildRender, writeRender, type Validator } from './lib/render.ts';
import { renderValidator as validator } from './lib/validate/index.ts';

/** Environment files for a synthetic fleet: `count` shops that differ in domain and scale. */
export function generatedEnvironments(count: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    const name = `shop-${String(i).padStart(3, '0')}`;
    files.set(`${name}.yaml`, `domain: ${name}.example.com\nsource:\n  repoURL: ${TEST_REPO_URL}\nweb:\n  replicas: ${1 + (i % 4)}\napp:\n  php-fpm:\n    hpa:\n      minReplicas: 2\n      maxReplicas: ${4 + (i % 8)}\n`);
  }
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeRender(root: string, validate: Validator, repeat: number): Promise<{ build: number; write: number; files: number }> {
  const builds: number[] = [];
  const writes: number[] = [];
  let files = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const result = await buildRender({ root, components: COMPONENTS, only: [], validate, secrets: requiredSecrets });
    const t1 = performance.now();
    const out = await mkdtemp(path.join(os.tmpdir(), 'bench-out-'));
    await writeRender(out, result);
    const t2 = performance.now();
    await rm(out, { recursive: true, force: true });
    builds.push(t1 - t0);
    writes.push(t2 - t1);
    files = [...result.plan.folders.values()].reduce((n, f) => n + f.length, 0);
  }
  return { build: median(builds), write: median(writes), files };
}

/** Validation of the shipped environments' documents, schemas already compiled: what render adds per run. */
async function timeValidation(root: string, repeat: number): Promise<number> {
  const { docs } = await buildRender({ root, components: COMPONENTS, only: [], validate: () => [], secrets: requiredSecrets });
  const byEnv = new Map<string, typeof docs>();
  for (const d of docs) byEnv.set(d.env, [...(byEnv.get(d.env) ?? []), d]);
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    for (const envDocs of byEnv.values()) validator(envDocs, undefined);
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

function timeProcess(command: string, args: string[], repeat: number): number {
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    execFileSync(command, args, { cwd: REPO_ROOT, stdio: 'ignore' });
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

async function fleetRoot(count: number): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-fleet-'));
  await mkdir(path.join(root, 'environments'));
  for (const [file, body] of generatedEnvironments(count)) await writeFile(path.join(root, 'environments', file), body);
  return root;
}

async function shippedRoot(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-shipped-'));
  // Profiles too: the shipped environments extend profiles/base.
  await cp(path.join(REPO_ROOT, 'environments'), path.join(root, 'environments'), { recursive: true });
  return root;
}

async function main(): Promise<void> {
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const noValidation: Validator = () => [];
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  const out = path.join(os.tmpdir(), 'bench-cli-out');
  const lines: string[] = [`bench on ${os.cpus().length} cores, Node ${process.version} (median of runs)`];
  lines.push(`node start (node -e 0)                      ${ms(timeProcess(process.execPath, ['-e', '0'], 5))}`);
  lines.push(`npm run render, whole CLI (bundle, 3 envs)  ${ms(timeProcess(process.execPath, ['scripts/run.mjs', 'render', '--out', out], 5))}`);
  lines.push(`  the same through tsx, without the bundle  ${ms(timeProcess(tsx, ['scripts/render.ts', '--out', out], 3))}`);
  const shipped = await shippedRoot();
  await timeRender(shipped, validator, 1); // warm-up: compiles the schema validators once
  const plain = await timeRender(shipped, noValidation, 5);
  const full = await timeRender(shipped, validator, 5);
  lines.push(`in-process render, 3 envs (${full.files} files)      build ${ms(full.build)}, write ${ms(full.write)}`);
  lines.push(`  without validation                        build ${ms(plain.build)}`);
  lines.push(`  validation alone (schemas loaded)         ${ms(await timeValidation(shipped, 5))}`);
  const fleet = await fleetRoot(100);
  const big = await timeRender(fleet, validator, 3);
  lines.push(`in-process render, 100 envs (${big.files} files) build ${ms(big.build)}, write ${ms(big.write)}`);
  const fd = await measureFleetDiff(500);
  lines.push(`fleet diff, ${fd.environments} envs, image bump in all (${fd.changedObjects} objects): render ${ms(fd.renderMs)}, diff ${ms(fd.diffMs)} (${(fd.diffMs / fd.renderMs).toFixed(2)}x; report ${ms(fd.reportMs)}, comment ${fd.markdownChars} chars)`);
  lines.push(`peak RSS of this process                    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  await Promise.all([shipped, fleet, out].map((d) => rm(d, { recursive: true, force: true })));
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (isMain(import.meta.url)) await main();
