// conftest-verify-style suite (C-06): every rule file has a pass and a fail fixture, stays silent on one and fires on the other.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../lib/validate/rules.ts';
import type { Finding, RenderedDoc, Rule } from '../lib/validate/types.ts';
import { splitFixture, loadFixtureDocs } from './lib/fixtures.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const NOT_RULES = new Set(['exceptions.ts']);
const ruleIds = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_RULES.has(f))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

function fixture(id: string, which: 'pass' | 'fail') {
  const parts = splitFixture(readFileSync(join(DIR, 'fixtures', id, `${which}.yaml`), 'utf8'));
  return { parts, ...loadFixtureDocs(parts) };
}

/** Runs one rule the way validateDocs does: once per environment found in the fixture, with the whole fixture as the fleet. */
function check(rule: Rule, docs: readonly RenderedDoc[]): Finding[] {
  const envs = [...new Set(docs.map((d) => d.env))];
  return envs.flatMap((env) => rule.check({ env, docs: docs.filter((d) => d.env === env), fleet: docs }));
}

describe.each(ruleIds)('rule %s', (id) => {
  const load = async (): Promise<Rule> => ((await import(/* @vite-ignore */ pathToFileURL(join(DIR, `${id}.ts`)).href)) as { rule: Rule }).rule;

  it('is named after its file and registered', async () => {
    const rule = await load();
    expect(rule.id).toBe(id);
    expect(RULES).toContain(rule);
    expect(['policy', 'reference']).toContain(rule.layer);
  });

  it('has a pass and a fail fixture', () => {
    for (const which of ['pass', 'fail']) expect(existsSync(join(DIR, 'fixtures', id, `${which}.yaml`)), `${id}/${which}.yaml`).toBe(true);
  });

  it('reports nothing on its pass fixture', async () => {
    const { docs, findings } = fixture(id, 'pass');
    expect(findings).toEqual([]);
    expect(docs.length).toBeGreaterThan(0);
    expect(check(await load(), docs).filter((f) => f.rule === id)).toEqual([]);
  });

  it('fires on its fail fixture, at every `# finding:` path', async () => {
    const { parts, docs, findings } = fixture(id, 'fail');
    expect(findings).toEqual([]);
    const reported = check(await load(), docs);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((f) => f.rule === id)).toBe(true);
    parts.forEach((part, i) => {
      const doc = docs[i]!;
      for (const path of (part.headers.finding ?? '').split(/\s+/).filter((p) => p !== '')) {
        const at = reported.filter((f) => f.file === doc.file && f.name === doc.object.metadata.name).map((f) => f.path);
        expect(at, `${doc.object.kind}/${doc.object.metadata.name}`).toContain(path);
      }
    });
  });
});

it('registers exactly the rule files of scripts/rules/', () => {
  expect(RULES.map((r) => r.id).sort()).toEqual(ruleIds);
});
