// Orchestrates a render: load environments, render, validate, then write atomically or compare (--check).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Component, SecretRequirement } from './component.ts';
import { InputError } from './errors.ts';
import { ENVIRONMENTS_DIR, fileReader, listEnvironmentNames, loadEnvironments, loadFleet, locateDetails } from './environment/load.ts';
import type { RenderCache } from './render-cache.ts';
import type { Environment } from './environment/schema.ts';
import { bootstrapKustomization, RENDERED_DIR, renderEnvironmentDocs, sharedDocs, toFiles, type RenderedFile } from './pipeline.ts';
import { renderedReadme } from './rendered-readme.ts';
import type { Finding, RenderedDoc } from './validate/types.ts';
import { listFiles, readText, writePlan, type WriteOptions, type WritePlan } from './writer.ts';

/**
 * Validates one environment's documents as soon as they are rendered (the render streams: nothing of an environment is
 * kept once it is written). Fleet-wide facts (one host per cluster, one namespace per cluster) are checked on the loaded
 * environments before anything renders, where the error can name the file and line; `npm run validate` checks the
 * committed tree's fleet with the rules.
 */
export type Validator = (docs: readonly RenderedDoc[], env: Environment | undefined) => Finding[];

export interface RenderRequest {
  root: string;
  components: readonly Component[];
  /** Environments to render; all of them when empty. */
  only: readonly string[];
  validate: Validator;
  /** Secrets the environment's pods read (from the component registry); none by default. */
  secrets?: (env: Environment) => SecretRequirement[];
  /**
   * Receives each environment's files as soon as they are rendered and valid, so a render of hundreds of
   * environments never holds them all (memory stays flat). The result then lists those folders with no
   * files and no docs; the caller has already staged or compared them.
   */
  onFolder?: (folder: string, files: RenderedFile[]) => Promise<void>;
  /** Called after each environment (for a progress line on a terminal). */
  onProgress?: (done: number, total: number) => void;
  /** Environments whose inputs and committed output are unchanged are neither rendered nor listed in the plan. */
  cache?: RenderCache;
}

export interface RenderResult {
  plan: WritePlan;
  docs: RenderedDoc[];
  environments: string[];
  /** True when every environment was rendered (stale folders are then removed, and --check covers all of rendered/). */
  full: boolean;
  /** Things the user should know that did not stop the render (one line each). */
  notes: string[];
  /** Every file of the render, streamed ones included (not those of unchanged environments). */
  fileCount: number;
  /** Environments skipped because the cache proved their folder current (their folders count as compared). */
  unchanged: string[];
  /** Environments rendered, and the file text each was parsed from (for the cache, after the commit). */
  rendered: Environment[];
  sources: Map<string, string>;
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
  const sources = new Map<string, string>();
  const unchanged = new Set<string>();
  const load = (names: readonly string[]) => (req.cache ? loadCached(req.root, names, req.cache, sources, unchanged) : loadEnvironments(req.root, names));
  const selected = await load(req.only.length > 0 ? all.filter((n) => req.only.includes(n)) : all);
  // Files shared by every environment need all of them; a broken file elsewhere must not block `--env prod`,
  // so a partial render then leaves the shared files as they are and says so.
  const notes: string[] = [];
  let envs: Environment[] | undefined = selected;
  if (req.only.length > 0) {
    envs = await load(all).catch((e: unknown) => {
      if (!(e instanceof InputError)) throw e;
      const broken = [...new Set(e.details.map((d) => d.file))].join(', ');
      notes.push(`not updated: kustomization.yaml, ${RENDERED_DIR}/argocd and ${RENDERED_DIR}/README.md (they need every environment, and ${broken} does not load)`);
      return undefined;
    });
  }
  const findings: Finding[] = [];
  const folders = new Map<string, RenderedFile[]>();
  const docs: RenderedDoc[] = [];
  let fileCount = 0;
  for (const [i, env] of selected.entries()) {
    if (unchanged.has(env.name)) {
      req.onProgress?.(i + 1, selected.length);
      continue;
    }
    const source = `${ENVIRONMENTS_DIR}/${env.name}.yaml`;
    const envDocs = await renderLocated(req.root, () => renderEnvironmentDocs(env, req.components, source, req.secrets?.(env) ?? []));
    const envFindings = req.validate(envDocs, env);
    findings.push(...envFindings);
    const folder = `${RENDERED_DIR}/${env.name}`;
    // Once anything failed nothing will be written, so later environments are only validated.
    const files = findings.length > 0 ? [] : toFiles(envDocs, () => source);
    fileCount += files.length;
    if (req.onFolder) {
      if (findings.length === 0) await req.onFolder(folder, files);
      folders.set(folder, []);
    } else {
      folders.set(folder, files);
      docs.push(...envDocs);
    }
    req.onProgress?.(i + 1, selected.length);
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
  fileCount += (folders.get(`${RENDERED_DIR}/argocd`)?.length ?? 0) + files.length;
  const stale = req.only.length > 0 ? [] : await staleFolders(req.root, all);
  return { plan: { folders, files, remove: stale }, docs, environments: selected.map((e) => e.name), full: req.only.length === 0, notes, fileCount, unchanged: selected.filter((e) => unchanged.has(e.name)).map((e) => e.name), rendered: selected.filter((e) => !unchanged.has(e.name)), sources };
}

/**
 * Loads environments (extends resolved, fleet checks run) and marks those the cache holds as unchanged. The cache
 * key is every file of the environment's chain, as read for this load: a profile edit re-renders every environment
 * that extends it, and an edit racing the render cannot be recorded under the wrong key.
 */
async function loadCached(root: string, names: readonly string[], cache: RenderCache, sources: Map<string, string>, unchanged: Set<string>): Promise<Environment[]> {
  const read = fileReader(root);
  const loaded = await loadFleet(root, names, read);
  return Promise.all(
    loaded.map(async ({ env, chain }) => {
      const key = chain.map((c) => `${c.file}\0${read(c.file) ?? ''}`).join('\0');
      sources.set(env.name, key);
      if (await cache.unchanged(env.name, key)) unchanged.add(env.name);
      return env;
    }),
  );
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

/**
 * Compares what the plan would write with what is on disk, extra files included. Folders listed in
 * `compared` were already compared as they streamed by (folderDrift) and are skipped here.
 */
export async function findDrift(root: string, result: RenderResult, compared: ReadonlySet<string> = new Set()): Promise<Drift[]> {
  const expected = new Map<string, string>();
  for (const [folder, files] of result.plan.folders) if (!compared.has(folder)) for (const f of files) expected.set(f.path, f.content);
  for (const f of result.plan.files) expected.set(f.path, f.content);
  // A full render owns all of rendered/; a partial one only the folders it rendered.
  const scopes = result.full ? [RENDERED_DIR] : [...result.plan.folders.keys()].filter((f) => !compared.has(f));
  const inCompared = (file: string) => [...compared].some((folder) => file.startsWith(`${folder}/`));
  const onDisk = (await Promise.all(scopes.map((s) => listFiles(root, s)))).flat().filter((f) => !inCompared(f));
  return sortDrift(await compare(root, expected, onDisk));
}

/** Drift of one folder against its expected files (missing, changed, extra). */
export async function folderDrift(root: string, folder: string, files: readonly RenderedFile[]): Promise<Drift[]> {
  return compare(root, new Map(files.map((f) => [f.path, f.content])), await listFiles(root, folder));
}

async function compare(root: string, expected: ReadonlyMap<string, string>, onDisk: readonly string[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  const actual = await Promise.all([...expected.keys()].map((file) => readText(root, file)));
  [...expected].forEach(([file, content], i) => {
    const now = actual[i];
    if (now === undefined) drift.push({ file, change: 'missing' });
    else if (now !== content) drift.push({ file, change: 'changed', patch: createTwoFilesPatch(`a/${file}`, `b/${file}`, now, content, 'committed', 'rendered') });
  });
  for (const file of onDisk) if (!expected.has(file)) drift.push({ file, change: 'extra' });
  return drift;
}

export function sortDrift(drift: Drift[]): Drift[] {
  return drift.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
