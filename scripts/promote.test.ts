// `npm run promote` end to end on a throwaway git repository: the edited file, the re-rendered output, the refusals.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './lib/cli.ts';
import { commitAll, copyOfThisRepo, fixtureRepo, git, removeRepo, writeFiles } from './lib/diff/testing.ts';
import { listFiles } from './lib/writer.ts';
import { runRender } from './lib/diff/render-process.ts';
import { main } from './promote.ts';

const STAGING = `# yaml-language-server: $schema=./schema.json
# Pre-production: versions are promoted from here to prod.
domain: staging.shop.example.com
source:
  repoURL: https://github.com/acme/gitops.git
oro:
  image:
    # renovate: datasource=docker depName=oroinc/orocommerce-application
    tag: 6.1.7
  initImage:
    # renovate: datasource=docker depName=oroinc/orocommerce-application-init
    tag: 6.1.7
monitoring:
  stack:
    # renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    chartVersion: 93.0.0
web:
  replicas: 2
`;

const PROD = `# yaml-language-server: $schema=./schema.json
# Production.
domain: shop.example.com
source:
  repoURL: https://github.com/acme/gitops.git
oro:
  image:
    # renovate: datasource=docker depName=oroinc/orocommerce-application
    tag: 6.1.6 # what prod runs
  initImage:
    # renovate: datasource=docker depName=oroinc/orocommerce-application-init
    tag: "6.1.6"
web:
  replicas: 3
monitoring:
  stack:
    retention: 30d
`;

let repo: string;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = { out: '', err: '', stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  const code = await main(argv, repo, io);
  return { code, out: io.out, err: io.err };
}

const read = (file: string) => readFile(path.join(repo, file), 'utf8');
const changedFiles = async () => (await git(repo)`git status --porcelain`).stdout.split('\n').filter(Boolean).sort();

beforeAll(async () => {
  repo = await fixtureRepo({ 'environments/staging.yaml': STAGING, 'environments/prod.yaml': PROD });
  expect((await runRender(repo, repo, [])).ok).toBe(true);
  await commitAll(repo, 'render');
});
afterAll(async () => removeRepo(repo));

describe('npm run promote refusals', () => {
  it('refuses unknown environments, listing the known ones', async () => {
    expect(await run(['--from', 'staging', '--to', 'production'])).toEqual({
      code: 1,
      out: '',
      err: 'promote staging → production: unknown environment "production"; known environments: prod, staging\n',
    });
  });

  it('refuses to promote an environment onto itself', async () => {
    expect((await run(['--from', 'prod', '--to', 'prod'])).err).toBe('promote prod → prod: --from and --to are both prod: a promotion copies versions from one environment to another\n');
  });

  it('treats a malformed command line as a usage error', async () => {
    await expect(run(['--from', 'staging'])).rejects.toThrow(UsageError);
    await expect(run(['--from', 'staging', '--to', 'prod', '--only', 'images'])).rejects.toThrow(/^--only must be image or chart, not "images"/);
  });

  it('restores the file and leaves rendered/ alone when the promoted values do not render', async () => {
    await writeFiles(repo, { 'environments/staging.yaml': STAGING.replace('tag: 6.1.7\n  initImage', 'tag: 6.1.8-broken\n  initImage') });
    try {
      const { code, err } = await run(['--from', 'staging', '--to', 'prod']);
      expect(code).toBe(1);
      expect(err).toContain('rendering prod with the promoted values failed, so environments/prod.yaml was restored and rendered/ is unchanged:\nenvironments/prod.yaml: oro.image.tag: 6.1.8-broken does not exist');
      expect(await changedFiles()).toEqual([' M environments/staging.yaml']);
    } finally {
      await git(repo)`git checkout -q -- environments/staging.yaml`;
    }
  });
});

describe('npm run promote --from staging --to prod', () => {
  it('changes only the tag lines of the target file, then re-renders it', async () => {
    const { code, out } = await run(['--from', 'staging', '--to', 'prod', '--only', 'image']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'promoted staging → prod (environments/prod.yaml):',
        '  oro.image.tag: 6.1.6 → 6.1.7',
        '  oro.initImage.tag: 6.1.6 → 6.1.7',
        'rendered prod',
        'Review with `git diff` (or `npm run diff -- --base HEAD`), then commit environments/prod.yaml and rendered/ together.',
        '',
      ].join('\n'),
    );
    expect(await read('environments/prod.yaml')).toBe(PROD.replace('tag: 6.1.6 #', 'tag: 6.1.7 #').replace('tag: "6.1.6"', 'tag: "6.1.7"'));
    expect(await changedFiles()).toEqual([' M environments/prod.yaml', ' M rendered/prod/web/deployment-web.yaml']);
    expect(await read('rendered/prod/web/deployment-web.yaml')).toContain('image: oroinc/orocommerce-application:6.1.7\n');
    await commitAll(repo, 'promote images');
  });

  it('refuses a second promotion of the same images: nothing left to promote', async () => {
    expect(await run(['--from', 'staging', '--to', 'prod', '--only', 'image'])).toEqual({
      code: 1,
      out: '',
      err: 'promote staging → prod: prod already runs what staging runs (images): nothing to promote\n',
    });
  });

  it('adds the chart version prod did not set, with its Renovate marker', async () => {
    const { code, out } = await run(['--from', 'staging', '--to', 'prod']);
    expect(code).toBe(0);
    expect(out).toContain('  monitoring.stack.chartVersion: 92.1.0 → 93.0.0\n');
    expect(out).not.toContain('warning');
    expect(await read('environments/prod.yaml')).toMatch(
      /\n {4}retention: 30d\n {4}# renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https:\/\/prometheus-community\.github\.io\/helm-charts\n {4}chartVersion: 93\.0\.0\n$/,
    );
    expect(await changedFiles()).toEqual([' M environments/prod.yaml', ' M rendered/prod/monitoring/configmap-chart.yaml']);
    expect(await run(['--from', 'staging', '--to', 'prod'])).toMatchObject({ code: 1, err: 'promote staging → prod: prod already runs what staging runs: nothing to promote\n' });
  });

  it('takes globs, refuses an empty target set and, for --batch, a checkout with uncommitted changes', async () => {
    expect(await run(['--from', 'staging', '--to', 'qa-*'])).toMatchObject({ code: 1, err: 'promote staging → qa-*: --to "qa-*" matches no environment other than staging; known environments: prod, staging\n' });
    expect(await run(['--from', 'staging', '--to', 'p*', '--batch', '1'])).toMatchObject({
      code: 1,
      err: 'promote staging → p*: --batch commits each batch, so the checkout must have no uncommitted changes to tracked files; commit or stash them first\n',
    });
    await expect(run(['--from', 'staging', '--to', 'prod', '--batch', '0'])).rejects.toThrow(/^--batch must be a whole number of environments, at least 1, not "0"/);
  });
});

describe('npm run promote on a copy of this repository (the real loader and renderer)', () => {
  let copy: string;
  let prod: string;
  let baseline: { ok: boolean; output: string };
  beforeAll(async () => {
    copy = await copyOfThisRepo();
    baseline = await runRender(copy, copy, []);
    const staging = await readFile(path.join(copy, 'environments/staging.yaml'), 'utf8');
    prod = await readFile(path.join(copy, 'environments/prod.yaml'), 'utf8');
    await writeFiles(copy, { 'environments/staging.yaml': staging.replace(/^( {4}tag:) 6\.1\.6$/gm, '$1 6.1.7') });
    await commitAll(copy, 'rendered; staging runs 6.1.7');
  });
  afterAll(async () => removeRepo(copy));

  it('moves prod to the staging images and re-renders only prod', async () => {
    expect(baseline.ok, baseline.output).toBe(true);
    const io = { out: '', err: '', stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
    expect(await main(['--from', 'staging', '--to', 'prod'], copy, io)).toBe(0);
    expect(io.out).toContain('  oro.image.tag: 6.1.6 → 6.1.7\n  oro.initImage.tag: 6.1.6 → 6.1.7\n');
    expect(await readFile(path.join(copy, 'environments/prod.yaml'), 'utf8')).toBe(prod.replace(/^( {4}tag:) 6\.1\.6$/gm, '$1 6.1.7'));
    const changed = (await git(copy)`git status --porcelain`).stdout.split('\n').filter(Boolean).map((l) => l.slice(3));
    expect(changed).toContain('environments/prod.yaml');
    expect(changed.filter((f) => f !== 'environments/prod.yaml').every((f) => f.startsWith('rendered/prod/'))).toBe(true);
    const prodTree = (await Promise.all((await listFiles(copy, 'rendered/prod')).map((f) => readFile(path.join(copy, f), 'utf8')))).join('\n');
    expect(prodTree).toContain('image: oroinc/orocommerce-application:6.1.7\n');
    expect(prodTree).not.toMatch(/orocommerce-application(-init)?:6\.1\.6/);
  });
});
