// The fleet-diff benchmark: `npm run diff` over N generated environments after an image bump in all of them, against one render of the same N.
import { cp, mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { $ } from 'zx';
import { REPO_ROOT } from '../paths.ts';
import { fleetFiles } from '../environment/fleet-fixture.ts';
import { formatMarkdown } from '../diff/markdown.ts';
import { runRender } from '../diff/render-process.ts';
import { buildReport } from '../diff/report.ts';
import { renderSides } from '../diff/sides.ts';
import { formatText } from '../diff/text.ts';

export interface FleetDiffTiming {
  environments: number;
  /** One `render --out` of the bumped fleet, the way the diff renders each side. */
  renderMs: number;
  /** The whole diff: both sides rendered (in parallel), compared, grouped, formatted as text and markdown. */
  diffMs: number;
  /** Of diffMs, the comparison, grouping and formatting after both renders. */
  reportMs: number;
  changedObjects: number;
  markdownChars: number;
}

const SOURCES = ['apps', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** A git repository with this checkout's render sources and a generated fleet: commit 1 on 6.1.6, commit 2 bumps the shared profile to 6.1.7. */
async function fleetRepo(count: number): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-fleet-diff-'));
  const git = $({ cwd: root, quiet: true, env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' } });
  await git`git init -q -b main`;
  for (const entry of SOURCES) await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  await writeFile(path.join(root, '.gitignore'), 'node_modules\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const write = async (files: Map<string, string>) => {
    for (const [file, text] of files) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  };
  await write(fleetFiles(count, { tag: '6.1.6' }));
  await git`git add -A`;
  await git`git commit -q -m fleet`;
  await write(fleetFiles(count, { tag: '6.1.7' }));
  await git`git commit -q -am bump`;
  return root;
}

export async function measureFleetDiff(count = 500): Promise<FleetDiffTiming> {
  const root = await fleetRepo(count);
  const out = path.join(root, '.bench-out');
  try {
    const t0 = performance.now();
    const single = await runRender(root, root, ['--out', out]);
    const renderMs = performance.now() - t0;
    if (!single.ok) throw new Error(`the fleet did not render:\n${single.output}`);
    const t1 = performance.now();
    const sides = await renderSides({ root, base: 'HEAD~1', head: 'HEAD' });
    const t2 = performance.now();
    const report = buildReport({ base: sides.base.side, head: sides.head.side, baseFiles: sides.base.files, headFiles: sides.head.files, notes: sides.notes, command: 'npm run diff -- --base HEAD~1 --head HEAD' });
    formatText(report, { color: false });
    const markdown = formatMarkdown(report);
    const t3 = performance.now();
    return { environments: count, renderMs, diffMs: t3 - t1, reportMs: t3 - t2, changedObjects: report.groups.reduce((n, g) => n + g.changes.length, 0), markdownChars: markdown.length };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
