// Realistic broken manifests: each corpus case breaks one thing in a valid environment and must trip exactly its `# expect:` rule.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtureDocs, splitFixture, type FixtureDoc } from '../../rules/lib/fixtures.ts';
import { validateDocs } from './index.ts';
import { sortFindings, type Finding } from './types.ts';

const DIR = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const read = (file: string) => splitFixture(readFileSync(join(DIR, file), 'utf8'));
const base = read('_base.yaml');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !f.startsWith('_')).sort();

/** A case document replaces the base document of the same `# file:`, or joins the environment. */
function overlay(patch: readonly FixtureDoc[]): FixtureDoc[] {
  const replaced = new Set(patch.map((p) => p.headers.file));
  return [...base.filter((b) => !replaced.has(b.headers.file)), ...patch];
}

/** What `npm run validate` reports: load findings, then every layer. The base renders no exception-worthy workload, so none apply. */
function validate(parts: readonly FixtureDoc[]): Finding[] {
  const { docs, findings } = loadFixtureDocs(parts);
  return sortFindings([...findings, ...validateDocs(docs, { kubernetesVersion: '1.33', exceptions: [] })]);
}

describe('corpus', () => {
  it('starts from a base environment that passes every layer', () => {
    expect(validate(base)).toEqual([]);
  });

  it('holds at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('%s trips exactly its expected rule', (file) => {
    const patch = read(file);
    const expected = patch[0]?.headers.expect;
    expect(expected, 'the case starts with `# expect: <rule-id>`').toBeDefined();
    for (const p of patch) expect(p.headers.file, 'every case document names its `# file:`').toBeDefined();
    const findings = validate(overlay(patch));
    expect([...new Set(findings.map((f) => f.rule))], findings.map((f) => `${f.path}: ${f.message} [${f.rule}]`).join('\n')).toEqual([expected]);
  });
});
