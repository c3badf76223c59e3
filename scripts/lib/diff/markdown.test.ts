// The PR comment: structure, code fences that cannot break, and truncation that never exceeds the budget.
import { describe, expect, it } from 'vitest';
import { compareTrees } from './compare.ts';
import { groupChanges, type DiffReport } from './group.ts';
import { fenceFor, formatMarkdown, inlineCode, MARKER } from './markdown.ts';

const object = (name: string, body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${body}`;
const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `  k${i}: ${prefix}-${i}\n`).join('');

function report(head: Record<string, string>, notes: string[] = []): DiffReport {
  return {
    base: { label: 'main', detail: '0123abcd' },
    head: { label: 'feature', detail: '4567ef01' },
    groups: groupChanges(compareTrees(new Map(), new Map(Object.entries(head)))),
    notes,
    command: 'npm run diff -- --base main --head feature',
  };
}

/** Every structural invariant a comment must keep, however it was cut. */
function expectWellFormed(md: string, maxChars: number): void {
  expect(md.length).toBeLessThanOrEqual(maxChars);
  expect(md.startsWith(`${MARKER}\n`)).toBe(true);
  expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
  const fences = [...md.matchAll(/^(`{3,})(diff)?$/gm)];
  for (let i = 0; i < fences.length; i += 2) {
    expect(fences[i]![2]).toBe('diff');
    expect(fences[i + 1]?.[1]).toBe(fences[i]![1]);
  }
}

describe('formatMarkdown', () => {
  it('says there is nothing to change, with the marker a workflow looks for', () => {
    expect(formatMarkdown(report({}))).toBe(
      `${MARKER}\n### Rendered manifests: what this change does to the clusters\n\nNo changes to rendered manifests between \`main (0123abcd)\` and \`feature (4567ef01)\`.\n`,
    );
  });

  it('shows notes as GitHub alerts above the table', () => {
    const md = formatMarkdown(report({ 'rendered/prod/web/configmap-a.yaml': object('a', '  k: v\n') }, ['base main pins other dependencies']));
    expect(md).toContain('> [!NOTE]\n> base main pins other dependencies\n\n| environment |');
  });

  it('fences a diff with more backticks than the content holds, so a manifest cannot close it', () => {
    const md = formatMarkdown(report({ 'rendered/prod/web/configmap-readme.yaml': object('readme', '  README.md: |\n    ```\n    ````sh\n    make\n    ````\n') }));
    expect(md).toContain('\n`````diff\n');
    expectWellFormed(md, 60_000);
    expect(fenceFor(['+ plain'])).toBe('```');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });

  it('stays within any budget, cutting whole objects and saying how many', () => {
    const files: Record<string, string> = {};
    for (const env of ['dev', 'prod', 'staging']) for (const i of [1, 2, 3, 4]) files[`rendered/${env}/web/configmap-c${i}.yaml`] = object(`c${i}`, lines(10 * i, `${env}x`));
    const full = formatMarkdown(report(files));
    expect(full).not.toContain('Truncated');
    for (let budget = 1_000; budget < full.length; budget += 397) {
      const md = formatMarkdown(report(files), { maxChars: budget });
      expectWellFormed(md, budget);
      const shown = md.match(/^```diff$/gm)?.length ?? 0;
      const omitted = Number(/the diffs of (\d+) objects?/.exec(md)?.[1] ?? 0);
      expect(shown + omitted).toBe(12);
      expect(md).toContain('`npm run diff -- --base main --head feature`');
      expect(md).toMatch(/\| staging \| `orocommerce-staging-web` \| \+4 ~0 -0 \| \+120 -0 \| 4 added \||\| … \| \d+ more rows \|/);
    }
  });

  it('skips an object too large for the rest of the budget but keeps the smaller ones after it', () => {
    const md = formatMarkdown(
      report({
        'rendered/prod/a/configmap-huge.yaml': object('huge', lines(5_000, 'x')),
        'rendered/prod/b/configmap-small.yaml': object('small', lines(2, 'y')),
      }),
    );
    expectWellFormed(md, 60_000);
    expect(md).not.toContain('orocommerce-prod-a</code>');
    expect(md).toContain('<summary>prod · <code>orocommerce-prod-b</code>');
    expect(md).toContain('the diffs of 1 object (+5005 -0 lines) are left out');
  });

  it('cuts the table itself when there are too many Applications for the budget', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i += 1) files[`rendered/prod/component-${i}/configmap-a.yaml`] = object('a', '  k: v\n');
    const md = formatMarkdown(report(files), { maxChars: 2_000 });
    expectWellFormed(md, 2_000);
    expect(md).toMatch(/\| … \| \d+ more rows \| \| \| \|/);
    expect(md).toMatch(/\*\*Truncated\.\*\* \d+ rows of the tables above and the diffs of 200 objects/);
  });

  it('refuses a budget too small for the heading and table', () => {
    expect(() => formatMarkdown(report({}), { maxChars: 999 })).toThrow(RangeError);
  });
});
