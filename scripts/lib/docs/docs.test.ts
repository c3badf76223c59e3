// Every sentence that names a file, an anchor, an npm script or a setting names one that exists.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { brokenLinks } from './links.ts';
import { markdownFiles } from './markdown-files.ts';
import { unknownNpmScripts } from './npm-scripts.ts';
import { type SchemaNode, settingExists, unknownSettings } from './settings.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'broken');
const files = markdownFiles(REPO_ROOT);
const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const scripts = new Set(Object.keys(JSON.parse(read(REPO_ROOT, 'package.json')).scripts as object));
const schema = JSON.parse(read(REPO_ROOT, 'environments/schema.json')) as SchemaNode;
const lines = (findings: { file: string; line: number; message: string }[]) =>
  findings.map((f) => `${f.file}:${f.line} ${f.message}`);

describe('the repository documentation', () => {
  it('covers every top-level folder README', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'apps/README.md', 'environments/README.md', 'scripts/README.md', 'rendered/README.md']));
  });

  it('has no broken relative link or heading anchor', async () => {
    expect(lines(await brokenLinks(REPO_ROOT, files))).toEqual([]);
  });

  it('names only npm scripts that package.json has', () => {
    expect(lines(files.flatMap((f) => unknownNpmScripts(f, read(REPO_ROOT, f), scripts)))).toEqual([]);
  });

  it('names only environment settings that the schema has', () => {
    expect(lines(files.flatMap((f) => unknownSettings(f, read(REPO_ROOT, f), schema)))).toEqual([]);
  });
});

describe('the checks themselves, on a deliberately broken fixture', () => {
  it('report a missing file, a missing local anchor and a missing anchor in another file, not a good link', async () => {
    const findings = lines(await brokenLinks(FIXTURE, ['README.md', 'sub/OTHER.md']));
    expect(findings).toHaveLength(3);
    expect(findings.join('\n')).toMatch(/missing\.md/);
    expect(findings.join('\n')).toMatch(/nowhere/);
    expect(findings.join('\n')).toMatch(/not-there/);
    expect(findings.join('\n')).not.toMatch(/present/);
  });

  it('report an npm script that does not exist', () => {
    expect(lines(unknownNpmScripts('README.md', read(FIXTURE, 'README.md'), scripts))).toEqual([
      'README.md:7 `npm run no-such-script`: package.json has no script "no-such-script"',
    ]);
  });

  it('report a setting that does not exist, and accept one that does', () => {
    expect(lines(unknownSettings('README.md', read(FIXTURE, 'README.md'), schema))).toEqual([
      'README.md:7 `web.noSuchSetting` is not an environment setting (environments/schema.json)',
    ]);
    expect(settingExists(schema, 'db.backup.*')).toBe(true);
    expect(settingExists(schema, 'init-jobs.mode')).toBe(true);
  });
});
