// `npm run diff` end to end on a throwaway git repository: real worktrees, real child renders, the report as printed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from './diff.ts';
import { REPO_ROOT, UsageError } from './lib/cli.ts';
import { formatMarkdown, MARKER } from './lib/diff/markdown.ts';
import { buildReport } from './lib/diff/report.ts';
import { renderSides, type RenderedSides } from './lib/diff/sides.ts';
import { commitAll, copyOfThisRepo, fixtureRepo, git, removeRepo, writeFiles } from './lib/diff/testing.ts';

let repo: string;

function capture(): Io & { out: string; err: string } {
  const io = { out: '', err: '', color: false, stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, repo, io);
  return { code, out: io.out, err: io.err };
}

/** Runs `fn` with uncommitted edits in the working tree, then puts the committed files back and drops new ones. */
async function withEdits<T>(files: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  await writeFiles(repo, files);
  try {
    return await fn();
  } finally {
    await git(repo)`git checkout -q -- .`;
    await git(repo)`git clean -q -f`;
  }
}

beforeAll(async () => {
  repo = await fixtureRepo({
    'environments/alpha.yaml': 'domain: alpha.example.com\nweb:\n  replicas: 1\n',
    'environments/beta.yaml': 'domain: beta.example.com\n',
  });
  await writeFiles(repo, {
    'environments/alpha.yaml': 'domain: alpha.example.com\nweb:\n  replicas: 3\n',
    'environments/beta.yaml': 'domain: shop.beta.example.com\n',
    'package-lock.json': '{ "lockfileVersion": 3, "packages": {} }\n',
  });
  await commitAll(repo, 'scale alpha, move beta');
});
afterAll(async () => removeRepo(repo));

describe('npm run diff between two commits', () => {
  let text: string;
  let markdown: string;
  let sides: RenderedSides;
  const report = (env?: string) =>
    buildReport({ base: sides.base.side, head: sides.head.side, baseFiles: sides.base.files, headFiles: sides.head.files, env, notes: sides.notes, command: 'npm run diff -- --base HEAD~1 --head HEAD' });
  beforeAll(async () => {
    const cli = await run(['--base', 'HEAD~1', '--head', 'HEAD']);
    expect(cli.code).toBe(0);
    text = cli.out;
    sides = await renderSides({ root: repo, base: 'HEAD~1', head: 'HEAD' });
    markdown = formatMarkdown(report());
  });

  it('summarises per environment and Application, then shows each changed object', () => {
    expect(text).toMatch(/^Rendered manifests: HEAD~1 \([0-9a-f]{8}\) → HEAD \([0-9a-f]{8}\)\n/);
    expect(text).toContain('3 objects in 2 applications (+1 ~2 -0), +9 -2 lines');
    expect(text).toMatch(/ {2}alpha +orocommerce-alpha-web +\+1 ~1 -0 +\+8 -1 +1 scaling · 1 added\n/);
    expect(text).toMatch(/ {2}beta +orocommerce-beta-web +\+0 ~1 -0 +\+1 -1 +1 config\n/);
    expect(text).toContain('Restarts pods: none');
    expect(text).toContain('2 environments change, each differently.');
    expect(text).toContain('~ Deployment/web  rendered/alpha/web/deployment-web.yaml  (changed · scaling, +1 -1)');
    expect(text).toContain('-  replicas: 1\n+  replicas: 3\n');
    expect(text).toContain('+ PodDisruptionBudget/web  rendered/alpha/web/poddisruptionbudget-web.yaml  (added, +7 -0)\n@@ -0,0 +1,7 @@\n');
    expect(text).toContain('-    - host: beta.example.com\n+    - host: shop.beta.example.com\n');
    expect(text).not.toContain('\x1b[');
  });

  it('ignores the generated header line and untouched files', () => {
    expect(text).not.toContain('# Generated');
    expect(text).not.toContain('rendered/argocd');
    expect(text).not.toContain('monitoring');
  });

  it('notes that the base pins other dependencies than the installed ones', () => {
    expect(text).toContain("note: base HEAD~1 pins other dependencies (its package-lock.json differs) but was rendered with this checkout's node_modules.");
  });

  it('writes a PR comment: marker, table, one collapsible section per Application, a diff block per object', () => {
    expect(markdown.startsWith(`${MARKER}\n### `)).toBe(true);
    expect(markdown).toContain('| environment | application | objects +/~/- | lines +/- | changes |\n|---|---|---|---|---|\n| alpha | `orocommerce-alpha-web` | +1 ~1 -0 | +8 -1 | 1 scaling · 1 added |\n| beta | `orocommerce-beta-web` | +0 ~1 -0 | +1 -1 | 1 config |\n');
    expect(markdown.match(/<details>/g)).toHaveLength(2);
    expect(markdown.match(/<\/details>/g)).toHaveLength(2);
    expect(markdown).toContain('<summary>alpha · <code>orocommerce-alpha-web</code> · objects +1 ~1 -0 · lines +8 -1</summary>');
    expect(markdown.match(/^```diff$/gm)).toHaveLength(3);
    expect(markdown).toContain('```diff\n@@ -4,7 +4,7 @@\n   name: web\n   namespace: orocommerce-alpha\n spec:\n-  replicas: 1\n+  replicas: 3\n');
    expect(markdown).not.toContain('Truncated');
  });

  it('cuts a comment over budget at object boundaries, keeping fences and sections balanced', () => {
    const out = formatMarkdown(report(), { maxChars: 1500 });
    expect(out.length).toBeLessThanOrEqual(1500);
    expect(out.startsWith(MARKER)).toBe(true);
    expect(out.match(/^```diff$/gm)?.length).toBeGreaterThan(0);
    expect(out.match(/^```/gm)!.length % 2).toBe(0);
    expect(out.match(/<details>/g)?.length).toBe(out.match(/<\/details>/g)?.length);
    expect(out).toMatch(/\*\*Truncated\.\*\* the diffs of \d objects? \(\+\d+ -\d+ lines\)/);
    expect(out).toContain('`npm run diff -- --base HEAD~1 --head HEAD`');
  });

  it('narrows the report to one environment, and refuses one neither side has', () => {
    expect(report('beta').groups.map((g) => g.title)).toEqual(['orocommerce-beta-web']);
    expect(() => report('gamma')).toThrow(new UsageError('--env gamma: no such environment on either side; known environments: alpha, beta'));
  });

  it('removes every worktree it added', async () => {
    const list = (await git(repo)`git worktree list --porcelain`).stdout;
    expect(list.match(/^worktree /gm)).toHaveLength(1);
  });
});

describe('npm run diff against the working tree', () => {
  it('renders uncommitted changes as they are', async () => {
    const { code, out } = await withEdits({ 'environments/beta.yaml': 'domain: shop.beta.example.com\nweb:\n  replicas: 2\n' }, () => run(['--base', 'HEAD']));
    expect(code).toBe(0);
    expect(out).toMatch(/→ working tree \([0-9a-f]{8} \+ uncommitted changes\)/);
    expect(out).toContain('2 objects in 1 application (+1 ~1 -0)');
    expect(out).not.toContain('note:');
  });

  it('says so when nothing changes, an untracked report file in the checkout notwithstanding', async () => {
    const { code, out } = await withEdits({ 'diff.md': '' }, () => run(['--base', 'HEAD']));
    expect(code).toBe(0);
    expect(out).toMatch(/→ working tree \([0-9a-f]{8}\)\nNo changes to rendered manifests.\n$/);
  });

  it('exits 1 with the failing side named and its error shown, and still cleans up', async () => {
    const { code, out, err } = await withEdits({ 'environments/alpha.yaml': 'domain: alpha.example.com\noro:\n  image:\n    tag: 6.1.7-broken\n' }, () => run(['--base', 'HEAD~1']));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^head working tree \([0-9a-f]{8} \+ uncommitted changes\) failed to render:\nenvironments\/alpha.yaml: oro.image.tag: 6.1.7-broken does not exist\n/);
    expect(err).not.toMatch(/^base .* failed to render/m);
    expect(err).toContain("\n\nnote: base HEAD~1 pins other dependencies (its package-lock.json differs) but was rendered with this checkout's node_modules.\n");
    const list = (await git(repo)`git worktree list --porcelain`).stdout;
    expect(list.match(/^worktree /gm)).toHaveLength(1);
  });
});

describe('npm run diff usage errors', () => {
  it('refuses unknown refs and environments with a usage error', async () => {
    await expect(run(['--base', 'no-such-branch'])).rejects.toThrow(new UsageError('unknown git ref "no-such-branch": give a branch, tag or commit of this repository (fetch it first if it is remote)'));
    await expect(run(['--head', 'HEAD'])).rejects.toThrow(/^--base is required/);
    await expect(run(['--base', 'HEAD', '--format', 'html'])).rejects.toThrow(/^--format must be text or markdown, not "html"/);
    await expect(run(['--base', 'HEAD', '--max-chars', '0'])).rejects.toThrow(/^--max-chars must be an integer from 1000 to 65536, not "0"/);
    await expect(run(['--base', 'HEAD', '--max-chars', '70000'])).rejects.toThrow(/^--max-chars must be an integer from 1000 to 65536, not "70000"/);
  });

  it('exits 2 from the command line, with the usage', async () => {
    const r = await $({ cwd: REPO_ROOT, quiet: true, nothrow: true })`${path.join(REPO_ROOT, 'node_modules/.bin/tsx')} scripts/diff.ts --bogus`;
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
    expect(r.stderr).toContain('usage: npm run diff -- --base REF');
  });
});

describe('npm run diff on a copy of this repository (the real renderer)', () => {
  let copy: string;
  beforeAll(async () => {
    copy = await copyOfThisRepo();
    const file = path.join(copy, 'environments/staging.yaml');
    await writeFiles(copy, { 'environments/staging.yaml': (await readFile(file, 'utf8')).replace(/^web:\n {2}replicas: 2$/m, 'web:\n  replicas: 3') });
    await commitAll(copy, 'scale staging web');
  });
  afterAll(async () => removeRepo(copy));

  it('reports a replica change under orocommerce-staging-web and nowhere else', async () => {
    const io = capture();
    const code = await main(['--base', 'HEAD~1', '--head', 'HEAD'], copy, io);
    expect(code, io.err).toBe(0);
    expect(io.out).toMatch(/^ {2}staging +orocommerce-staging-web +/m);
    expect(io.out).toContain('-  replicas: 2\n+  replicas: 3\n');
    expect(io.out).not.toMatch(/^ {2}(dev|prod|\(shared\)) /m);
  });
});
