// `npm run bench`: the whole CLI against a floor of the same shape, at 3/100/500 environments and one edit, as ratios (a script, not a test).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { COMPONENTS, requiredSecrets } from '../apps/index.ts';
import { measureFleetDiff } from './lib/bench/fleet-diff.ts';
import { isMain, parseCli, REPO_ROOT, runMain, wantsHelp } from './lib/cli.ts';
import { TEST_REPO_URL } from './lib/environment/testing.ts';
import { buildRender } from './lib/render.ts';

const USAGE = `usage: npm run bench -- [--sizes 3,100,500] [--rounds N]

Times the whole CLI (node scripts/run.mjs render, render --check, validate) on a copy of this
repository with 3 (the shipped), 100 and 500 generated environments, and re-rendering after an edit
of one environment among the largest fleet, and \`npm run diff\` over that fleet after an image bump in all
of its environments, against one render of it (scripts/lib/bench/fleet-diff.ts). Each command alternates, round by round, with a floor
of the same shape run in the same way: the same objects per environment, built from literals and
written one file per object with yaml, without validation or atomic writes (scripts/lib/bench/floor.mjs).
Prints wall and CPU time (median), peak RSS, and the ratios to the floor, as a Markdown table.

  --sizes LIST   fleet sizes to measure (default 3,100,500)
  --rounds N     rounds per measurement (default 5 at 3 envs, 3 at 100, 2 above)

exit codes: 0 measured, 2 usage error, 3 bug, 4 file-system error`;

/** Environment files for a synthetic fleet: `count` shops that differ in domain and scale. */
export function generatedEnvironments(count: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    const name = `shop-${String(i).padStart(3, '0')}`;
    files.set(`${name}.yaml`, `domain: ${name}.example.com\nsource:\n  repoURL: ${TEST_REPO_URL}\nweb:\n  replicas: ${1 + (i % 4)}\napp:\n  php-fpm:\n    hpa:\n      minReplicas: 2\n      maxReplicas: ${4 + (i % 8)}\n`);
  }
  return files;
}

export interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const USAGE_HOOK = pathToFileURL(path.join(REPO_ROOT, 'scripts/lib/bench/usage.mjs')).href;
const FLOOR = path.join(REPO_ROOT, 'scripts/lib/bench/floor.mjs');

/** Runs one node process and reads back its own CPU time and peak RSS (written at exit by usage.mjs). */
function measure(args: readonly string[], cwd: string, scratch: string): Sample {
  const usageFile = path.join(scratch, `usage-${process.hrtime.bigint()}.json`);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--disable-proto=delete', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${USAGE_HOOK}`.trim(), BENCH_USAGE_FILE: usageFile, CI: '1' },
  });
  const wallMs = performance.now() - t0;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} (in ${cwd}) failed with ${run.status ?? run.signal}: ${run.stderr}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuMs: number; maxRssKiB: number };
  return { wallMs, cpuMs: usage.cpuMs, rssMiB: usage.maxRssKiB / 1024 };
}

function summarize(samples: readonly Sample[]): Sample {
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), rssMiB: Math.max(...samples.map((s) => s.rssMiB)) };
}

interface Row {
  label: string;
  goal: string;
  floor: Sample;
  project: Sample;
}

/** A copy of the repository's sources with its own environments/ and a symlinked node_modules. */
async function workspace(scratch: string): Promise<string> {
  const repo = path.join(scratch, 'repo');
  await mkdir(repo);
  for (const entry of ['apps', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(repo, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
  return repo;
}

async function setEnvironments(repo: string, size: number): Promise<string[]> {
  const dir = path.join(repo, 'environments');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  if (size === 3) {
    // The shipped environments with the profiles they extend.
    await cp(path.join(REPO_ROOT, 'environments'), dir, { recursive: true });
  } else {
    for (const [file, body] of generatedEnvironments(size)) await writeFile(path.join(dir, file), body);
  }
  return (await readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

async function clearOutput(repo: string): Promise<void> {
  await rm(path.join(repo, 'rendered'), { recursive: true, force: true });
  await rm(path.join(repo, 'kustomization.yaml'), { force: true });
  await rm(path.join(repo, '.render-staging'), { recursive: true, force: true });
}

/** One environment's objects as the floor's template, the environment name replaced by __ENV__. */
async function floorTemplate(scratch: string): Promise<string> {
  const root = path.join(scratch, 'template');
  await mkdir(path.join(root, 'environments'), { recursive: true });
  await writeFile(path.join(root, 'environments/shop-001.yaml'), generatedEnvironments(1).get('shop-001.yaml')!);
  const { docs } = await buildRender({ root, components: COMPONENTS, only: [], validate: () => [], secrets: requiredSecrets });
  const file = path.join(scratch, 'floor-template.json');
  const envDocs = docs.filter((d) => d.env === 'shop-001').map((d) => ({ file: d.file, object: d.object }));
  await writeFile(file, JSON.stringify(envDocs).replaceAll('shop-001', '__ENV__'));
  return file;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

function table(rows: readonly Row[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const lines = [
    '| case | floor wall / CPU s | project wall / CPU s | project ÷ floor (wall / CPU) | peak RSS floor / project MiB | goal |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${s(r.floor.wallMs)} / ${s(r.floor.cpuMs)} | ${s(r.project.wallMs)} / ${s(r.project.cpuMs)} | **${ratio(r.project.wallMs, r.floor.wallMs)}** / ${ratio(r.project.cpuMs, r.floor.cpuMs)} | ${r.floor.rssMiB.toFixed(0)} / ${r.project.rssMiB.toFixed(0)} | ${r.goal} |`,
    ),
  ];
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseCli(argv, { sizes: { type: 'string' }, rounds: { type: 'string' } }, USAGE);
  const sizes = (args.sizes ?? '3,100,500').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 999)) throw new Error(`--sizes ${args.sizes}: expected numbers from 1 to 999`);
  const roundsFor = (n: number) => (args.rounds ? Number(args.rounds) : n <= 3 ? 5 : n <= 100 ? 3 : 2);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const progress = (s: string) => process.stderr.write(`bench: ${s}\n`);
  try {
    const repo = await workspace(scratch);
    const template = await floorTemplate(scratch);
    const floorOut = path.join(scratch, 'floor-out');
    const rows: Row[] = [];
    const render = ['scripts/run.mjs', 'render'];
    const alternate = async (label: string, goal: string, rounds: number, floorArgs: string[], project: string[], before?: () => Promise<void>) => {
      progress(`${label} (${rounds} rounds)`);
      const f: Sample[] = [];
      const p: Sample[] = [];
      for (let i = 0; i < rounds; i++) {
        f.push(measure([FLOOR, template, floorOut, ...floorArgs], repo, scratch));
        await before?.();
        p.push(measure(project, repo, scratch));
      }
      rows.push({ label, goal, floor: summarize(f), project: summarize(p) });
    };
    for (const size of sizes) {
      const names = await setEnvironments(repo, size);
      await clearOutput(repo);
      measure(render, repo, scratch); // warm-up: builds the bundles and the validator cache once
      const full = size === 3 ? '3 shipped environments, whole CLI' : `${size} environments`;
      await alternate(`render, ${full}`, size === 3 ? '≤ 2.0×' : `≤ 1.5×${size >= 500 ? ', RSS ≤ 256 MiB' : ''}`, roundsFor(size), names, render, () => clearOutput(repo));
      if (size === 3) {
        measure(render, repo, scratch);
        // Cold, as CI runs it on a fresh checkout: without the render cache every file is compared.
        const noCache = () => rm(path.join(repo, '.render-staging', 'cache'), { recursive: true, force: true });
        await alternate('render --check, 3 environments (no render cache, as in CI)', '≤ 2.0×', roundsFor(size), names, [...render, '--check'], noCache);
        await alternate('validate, 3 environments', '≤ 2.0×', roundsFor(size), names, ['scripts/run.mjs', 'validate']);
      }
    }
    const largest = Math.max(...sizes);
    if (largest > 3) {
      const names = await setEnvironments(repo, largest);
      await clearOutput(repo);
      measure(render, repo, scratch);
      const edited = path.join(repo, 'environments', `${names[0]}.yaml`);
      const original = await readFile(edited, 'utf8');
      let n = 0;
      await alternate(`render after editing 1 of ${largest} environments`, '≤ 2× the floor for 1 environment', roundsFor(largest) + 1, [names[0]!], render, async () => {
        n += 1;
        await writeFile(edited, original.replace(/maxReplicas: \d+/, `maxReplicas: ${20 + n}`));
      });
    }
    const fleetDiff = largest > 3 ? await measureFleetDiff(largest) : undefined;
    const header = `npm run bench on ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians, peak RSS is the largest single run`;
    process.stdout.write(`${header}\n\n${table(rows)}\n`);
    if (fleetDiff) {
      const f = fleetDiff;
      process.stdout.write(
        `\nnpm run diff, ${f.environments} environments with an image bump in all (${f.changedObjects} objects changed): ${(f.diffMs / 1000).toFixed(1)} s, ` +
          `${(f.diffMs / f.renderMs).toFixed(2)}× one render of them (${(f.renderMs / 1000).toFixed(1)} s; goal ≤ ~2×); the PR comment is ${f.markdownChars} characters\n`,
      );
    }
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await runMain(main, 'the repository');
