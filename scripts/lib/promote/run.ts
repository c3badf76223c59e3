// A promotion end to end: check the request, plan from effective values, edit the target file, re-render, undo on failure.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ENVIRONMENTS_DIR, fileReader, listEnvironmentNames, loadEnvironments, parseEnvironment } from '../environment/load.ts';
import { parseStrictYaml } from '../yaml.ts';
import type { RenderRun } from '../diff/render-process.ts';
import { editEnvironmentFile } from './edit.ts';
import { describeChange, getPath, planPromotion, type Change, type PromotionKind } from './plan.ts';

/** The promotion did not happen (refused, or its render failed and the file was restored): exit 1. */
export class PromotionError extends Error {
  override name = 'PromotionError';
}

export interface PromoteRequest {
  root: string;
  from: string;
  to: string;
  only?: PromotionKind | undefined;
  /** Re-renders one environment of `root` into rendered/ (atomic: nothing is written when it fails). */
  render: (root: string, env: string) => Promise<RenderRun>;
}

export interface PromoteResult {
  /** The edited environment file, relative to the root. */
  file: string;
  changes: Change[];
  warnings: string[];
  renderOutput: string;
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

export async function promote(req: PromoteRequest): Promise<PromoteResult> {
  const known = await listEnvironmentNames(req.root);
  const unknown = [...new Set([req.from, req.to])].filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new PromotionError(`unknown environment${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known environments: ${known.join(', ') || '(none)'}`);
  }
  if (req.from === req.to) throw new PromotionError(`--from and --to are both ${req.from}: a promotion copies versions from one environment to another`);
  const [source, target] = await loadEnvironments(req.root, [req.from, req.to]);
  const sourceFile = path.posix.join(ENVIRONMENTS_DIR, `${req.from}.yaml`);
  const targetFile = path.posix.join(ENVIRONMENTS_DIR, `${req.to}.yaml`);
  const sourceText = await readFile(path.join(req.root, sourceFile), 'utf8');
  const targetText = await readFile(path.join(req.root, targetFile), 'utf8');
  const plan = planPromotion(source!, target!, parseStrictYaml(sourceText, sourceFile).value, req.only);
  if (plan.changes.length === 0) {
    const what = req.only === undefined ? '' : ` (${req.only === 'image' ? 'images' : 'chart versions'})`;
    throw new PromotionError(`${req.to} already runs what ${req.from} runs${what}: nothing to promote`);
  }
  const edited = editEnvironmentFile(targetText, plan.changes, sourceText);
  verify(req.root, edited.text, req.to, targetFile, plan.changes);
  const absolute = path.join(req.root, targetFile);
  await replaceFile(absolute, edited.text);
  const run = await req.render(req.root, req.to);
  if (!run.ok) {
    await replaceFile(absolute, targetText);
    throw new PromotionError(`rendering ${req.to} with the promoted values failed, so ${targetFile} was restored and rendered/ is unchanged:\n${run.output}`);
  }
  const reformatted = edited.reformatted ? [`${targetFile}: adding or removing keys also normalised its hand formatting (spacing, blank lines); check \`git diff\``] : [];
  return { file: targetFile, changes: plan.changes, warnings: [...plan.warnings, ...reformatted], renderOutput: run.output };
}
