// A promotion end to end: check the request, plan from effective values, edit each target file, re-render, commit per batch, undo on failure.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mergeChain } from '../environment/extends.ts';
import { ENVIRONMENTS_DIR, fileReader, listEnvironmentNames, listProfileRefs, loadFleet, parseEnvironment, type LoadedEnvironment } from '../environment/load.ts';
import type { RenderRun } from '../diff/render-process.ts';
import { editEnvironmentFile } from './edit.ts';
import { commitBatch, trackedChanges } from './git.ts';
import { describeChange, getPath, planPromotion, type Change, type PromotionKind } from './plan.ts';
import { batches, selectTargets } from './targets.ts';

/** The promotion did not happen (refused, or its render failed and the files were restored): exit 1. */
export class PromotionError extends Error {
  override name = 'PromotionError';
}

export interface PromoteRequest {
  root: string;
  from: string;
  /** Environment names, globs (`prod-*`) or profiles (`profiles/prod`), in promotion order. */
  to: readonly string[];
  only?: PromotionKind | undefined;
  /** Commit every `batch` targets (a canary first, then the rest); without it, edit and render only. */
  batch?: number | undefined;
  /** Re-renders environments of `root` into rendered/ (atomic: nothing is written when it fails). */
  render: (root: string, envs: readonly string[]) => Promise<RenderRun>;
}

export interface TargetResult {
  env: string;
  /** The edited environment file, relative to the root. */
  file: string;
  changes: Change[];
  warnings: string[];
}

export interface BatchResult {
  targets: TargetResult[];
  renderOutput: string;
  /** The commit of this batch (with `batch`). */
  commit?: string;
}

export interface PromoteResult {
  batches: BatchResult[];
  /** Targets that already run what the source runs. */
  unchanged: string[];
}

/** Re-reads the edited text with the real loader: the file must stay valid and now hold exactly the promoted values. */
function verify(root: string, text: string, env: string, file: string, changes: readonly Change[]): void {
  const loaded = parseEnvironment(env, text, file, fileReader(root));
  const wrong = changes.filter((c) => getPath(loaded, c.path) !== c.to);
  if (wrong.length > 0) throw new Error(`editing ${file} did not produce the promoted values: ${wrong.map(describeChange).join('; ')}`);
}

async function replaceFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

const fileOf = (env: string) => path.posix.join(ENVIRONMENTS_DIR, `${env}.yaml`);

interface Edit extends TargetResult {
  before: string;
  after: string;
}

async function checkRequest(req: PromoteRequest): Promise<{ fleet: LoadedEnvironment[]; targets: string[] }> {
  const known = await listEnvironmentNames(req.root);
  if (!known.includes(req.from)) throw new PromotionError(`unknown environment "${req.from}"; known environments: ${known.join(', ') || '(none)'}`);
  if (req.to.length === 1 && req.to[0] === req.from) throw new PromotionError(`--from and --to are both ${req.from}: a promotion copies versions from one environment to another`);
  if (req.batch !== undefined && (await trackedChanges(req.root)).length > 0) {
    throw new PromotionError('--batch commits each batch, so the checkout must have no uncommitted changes to tracked files; commit or stash them first');
  }
  const fleet = await loadFleet(req.root, known);
  const { targets, empty } = selectTargets(req.to, fleet, req.from);
  if (empty.length > 0) {
    const single = req.to.length === 1 && !/[*?]/.test(req.to[0]!) && !req.to[0]!.startsWith('profiles/');
    if (single) throw new PromotionError(`unknown environment "${req.to[0]}"; known environments: ${known.join(', ') || '(none)'}`);
    const profiles = empty.some((p) => p.startsWith('profiles/')) ? `; known profiles: ${(await listProfileRefs(req.root)).join(', ') || '(none)'}` : '';
    throw new PromotionError(`--to ${empty.map((p) => `"${p}"`).join(', ')} matches no environment other than ${req.from}; known environments: ${known.join(', ')}${profiles}`);
  }
  return { fleet, targets };
}

/** Plans and edits (in memory) every target; nothing is written yet. */
async function planEdits(req: PromoteRequest, fleet: readonly LoadedEnvironment[], targets: readonly string[]): Promise<{ edits: Edit[]; unchanged: string[] }> {
  const byName = new Map(fleet.map((l) => [l.env.name, l]));
  const source = byName.get(req.from)!;
  const sourceText = await readFile(path.join(req.root, fileOf(req.from)), 'utf8');
  // What the source's files set, through its profiles: a tag set in a profile is promoted too.
  const sourceValues = mergeChain(source.chain);
  const edits: Edit[] = [];
  const unchanged: string[] = [];
  for (const env of targets) {
    const plan = planPromotion(source.env, byName.get(env)!.env, sourceValues, req.only);
    if (plan.changes.length === 0) {
      unchanged.push(env);
      continue;
    }
    const file = fileOf(env);
    const before = await readFile(path.join(req.root, file), 'utf8');
    const edited = editEnvironmentFile(before, plan.changes, sourceText);
    verify(req.root, edited.text, env, file, plan.changes);
    const reformatted = edited.reformatted ? [`${file}: adding or removing keys also normalised its hand formatting (spacing, blank lines); check \`git diff\``] : [];
    edits.push({ env, file, changes: plan.changes, warnings: [...plan.warnings, ...reformatted], before, after: edited.text });
  }
  return { edits, unchanged };
}

export async function promote(req: PromoteRequest): Promise<PromoteResult> {
  if (req.batch !== undefined && (!Number.isInteger(req.batch) || req.batch < 1)) throw new PromotionError(`--batch must be a whole number of environments, at least 1, not ${req.batch}`);
  const { fleet, targets } = await checkRequest(req);
  const { edits, unchanged } = await planEdits(req, fleet, targets);
  if (edits.length === 0) {
    const what = req.only === undefined ? '' : ` (${req.only === 'image' ? 'images' : 'chart versions'})`;
    const who = unchanged.length === 1 ? `${unchanged[0]} already runs` : `all ${unchanged.length} targets already run`;
    throw new PromotionError(`${who} what ${req.from} runs${what}: nothing to promote`);
  }
  const done: BatchResult[] = [];
  const groups = batches(edits, req.batch);
  for (const [i, batch] of groups.entries()) {
    for (const e of batch) await replaceFile(path.join(req.root, e.file), e.after);
    const run = await req.render(req.root, batch.map((e) => e.env));
    if (!run.ok) {
      for (const e of batch) await replaceFile(path.join(req.root, e.file), e.before);
      const committed = done.length > 0 ? ` Batches 1–${done.length} are committed (${done.map((b) => b.commit).join(', ')}).` : '';
      throw new PromotionError(
        `rendering ${batch.map((e) => e.env).join(', ')} with the promoted values failed, so ${batch.map((e) => e.file).join(', ')} ${batch.length === 1 ? 'was' : 'were'} restored and rendered/ is unchanged:${committed}\n${run.output}`,
      );
    }
    const result: BatchResult = { targets: batch.map(({ env, file, changes, warnings }) => ({ env, file, changes, warnings })), renderOutput: run.output };
    if (req.batch !== undefined) {
      const what = [...new Set(batch.flatMap((e) => e.changes.map(describeChange)))].join(', ');
      const names = batch.length <= 4 ? batch.map((e) => e.env).join(', ') : `${batch[0]!.env} … ${batch[batch.length - 1]!.env} (${batch.length} environments)`;
      result.commit = await commitBatch(req.root, batch.map((e) => e.file), `promote ${req.from} → ${names} (batch ${i + 1}/${groups.length})\n\n${what}`);
    }
    done.push(result);
  }
  return { batches: done, unchanged };
}
