// Orchestrates a render: load environments, render, validate, then write atomically or compare (--check).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Component, SecretRequirement } from './component.ts';
import { InputError } from './errors.ts';
import { ENVIRONMENTS_DIR, listEnvironmentNames, loadEnvironments, locateDetails } from './environment/load.ts';
import type { Environment } from './environment/schema.ts';
import { bootstrapKustomization, RENDERED_DIR, renderEnvironmentDocs, sharedDocs, toFiles, type RenderedFile } from './pipeline.ts';
import { renderedReadme } from './rendered-readme.ts';
import type { Finding, RenderedDoc } from './validate/types.ts';
import { listFiles, readText, writePlan, type WriteOptions, type WritePlan } from './writer.ts';

export type Validator = (docs: readonly RenderedDoc[], env: Environment | undefined) => Finding[];

export interface RenderRequest {
  root: string;
  components: readonly Component[];
  /** Environments to render; all of them when empty. */
  only: readonly string[];
  validate: Validator;
  /** Secrets the environment's pods read (from the component registry); none by default. */
  secrets?: (env: Environment) => SecretRequirement[];
}

export interface RenderResult {
  plan: WritePlan;
  docs: RenderedDoc[];
  environments: string[];
  /** True when every environment was rendered (stale folders are then removed, and --check covers all of rendered/). */
  full: boolean;
  /** Things the user should know that did not stop the render (one line each). */
  notes: string[];
}

/** Thrown when validation finds problems; nothing has been written. */
export class ValidationFailed extends Error {
  constructor(readonly findings: Finding[]) {
    super(`validation found ${findings.length} problem${findings.length === 1 ? '' : 's'}`);
    this.name = 'ValidationFailed';
  }
}

/** Renders and validates in memory; throws InputError or ValidationFailed before anything is written. */
export async function buildRender(req: RenderRequest): Promise<RenderResult> {
  const all = await listEnvironmentNames(req.root);
  const unknown = req.only.filter((n) => !all.includes(n));
  if (unknown.length > 0) {
    throw new InputError(unknown.map((n) => ({ file: `${ENVIRONMENTS_DIR}/${n}.yaml`, message: `no such environment; known environments: ${all.join(', ')}` })));
  }
  const selected = await loadEnvironments(req.root, req.only.length > 0 ? all.filter((n) => req.only.includes(n)) : all);
  // Files shared by every environment need all of them; a broken file elsewhere must not block `--env prod`,
  // so a partial render then leaves the shared files as they are and says so.
  const notes: string[] = [];
  let envs: Environment[] | undefined = selected;
  if (req.only.length > 0) {
    envs = await loadEnvironments(req.root, all).catch((e: unknown) => {
      if (!(e instanceof InputError)) throw e;
      const broken = [...new Set(e.details.map((d) => d.file))].join(', ');
      notes.push(`not updated: kustomization.yaml, ${RENDERED_DIR}/argocd and ${RENDERED_DIR}/README.md (they need every environment, and ${broken} does not load)`);
      return undefined;
    });
  }
  const findings: Finding[] = [];
  const folders = new Map<string, RenderedFile[]>();
  const docs: RenderedDoc[] = [];
  for (const env of selected) {
    const source = `${ENVIRONMENTS_DIR}/${env.name}.yaml`;
    const envDocs = await renderLocated(req.root, () => renderEnvironmentDocs(env, req.components, source, req.secrets?.(env) ?? []));
    findings.push(...req.validate(envDocs, env));
    folders.set(`${RENDERED_DIR}/${env.name}`, toFiles(envDocs, () => source));
    docs.push(...envDocs);
  }
  const files: RenderedFile[] = [];
  if (envs) {
    const shared = [...new Set(envs.map((e) => e.argocd.namespace))].sort().flatMap((ns) => sharedDocs(ns));
    findings.push(...req.validate(shared, undefined));
    folders.set(`${RENDERED_DIR}/argocd`, toFiles(shared, () => 'scripts/lib/argocd'));
    docs.push(...shared);
    const bootstrapFiles = envs.flatMap((e) => [
      `${RENDERED_DIR}/${e.name}/apps/appproject-orocommerce-${e.name}.yaml`,
      `${RENDERED_DIR}/${e.name}/bootstrap/application-orocommerce-${e.name}.yaml`,
    ]);
    files.push(bootstrapKustomization([...shared.map((d) => d.file), ...bootstrapFiles]), renderedReadme(envs, req.components, req.secrets ?? (() => [])));
  }
  if (findings.length > 0) throw new ValidationFailed(findings);
  const stale = req.only.length > 0 ? [] : await staleFolders(req.root, all);
  return { plan: { folders, files, remove: stale }, docs, environments: selected.map((e) => e.name), full: req.only.length === 0, notes };
}

async function renderLocated<T>(root: string, render: () => T): Promise<T> {
  try {
    return render();
  } catch (e) {
    throw e instanceof InputError ? await locateDetails(root, e) : e;
  }
}

/** Folders under rendered/ that no environment file produces any more (one readdir, not a recursive listing). */
async function staleFolders(root: string, envNames: readonly string[]): Promise<string[]> {
  const entries = await readdir(path.join(root, RENDERED_DIR), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && e.name !== 'argocd' && !envNames.includes(e.name))
    .map((e) => `${RENDERED_DIR}/${e.name}`)
    .sort();
}

export async function writeRender(root: string, result: RenderResult, options: WriteOptions = {}): Promise<void> {
  await writePlan(root, result.plan, options);
}

export interface Drift {
  file: string;
  change: 'missing' | 'extra' | 'changed';
  /** Unified diff of committed → expected, for changed files. */
  patch?: string;
}

/** Compares what the plan would write with what is on disk, extra files included. */
export async function findDrift(root: string, result: RenderResult): Promise<Drift[]> {
  const expected = new Map<string, string>();
  for (const files of result.plan.folders.values()) for (const f of files) expected.set(f.path, f.content);
  for (const f of result.plan.files) expected.set(f.path, f.content);
  // A full render owns all of rendered/; a partial one only the folders it rendered.
  const scopes = result.full ? [RENDERED_DIR] : [...result.plan.folders.keys()];
  const onDisk = (await Promise.all(scopes.map((s) => listFiles(root, s)))).flat();
  const drift: Drift[] = [];
  for (const [file, content] of expected) {
    const actual = await readText(root, file);
    if (actual === undefined) drift.push({ file, change: 'missing' });
    else if (actual !== content) drift.push({ file, change: 'changed', patch: createTwoFilesPatch(`a/${file}`, `b/${file}`, actual, content, 'committed', 'rendered') });
  }
  for (const file of onDisk) if (!expected.has(file)) drift.push({ file, change: 'extra' });
  return drift.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
