// Output YAML reads the same under YAML 1.1 (kubectl, Argo CD) and 1.2, with a canonical key order.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonicalize, toYaml, toYamlReference } from './yaml.ts';

describe('toYaml', () => {
  const tricky = { a: 'no', b: 'on', c: '0777', d: 'yes', e: '12:30', f: 'y', g: '1_000', h: 'null', i: '~', j: '3', k: 'True', l: 'multi\nline\n', m: '' };

  it('quotes every scalar a YAML 1.1 reader would turn into a bool, number or null', () => {
    const out = toYaml(tricky);
    expect(parse(out, { version: '1.1' })).toEqual(tricky);
    expect(parse(out, { version: '1.2' })).toEqual(tricky);
  });

  it('puts apiVersion, kind, metadata first and sorts the rest by code unit, whatever the input order', () => {
    const a = toYaml({ spec: { b: 1, a: 2 }, metadata: { labels: { z: '1', a: '2' }, name: 'x' }, kind: 'K', apiVersion: 'v1' });
    const b = toYaml({ apiVersion: 'v1', kind: 'K', metadata: { name: 'x', labels: { a: '2', z: '1' } }, spec: { a: 2, b: 1 } });
    expect(a).toBe(b);
    expect(a.split('\n').slice(0, 3)).toEqual(['apiVersion: v1', 'kind: K', 'metadata:']);
  });

  it('keeps list order and drops undefined fields', () => {
    expect(canonicalize({ list: [3, 1, 2], gone: undefined })).toEqual({ list: [3, 1, 2] });
  });

  it('never folds long lines', () => {
    const long = 'x'.repeat(300);
    expect(toYaml({ long }).trim()).toBe(`long: ${long}`);
  });
});

describe('toYaml against yaml\'s Document model (toYamlReference)', () => {
  it('gives the same bytes for every object of every shipped environment', async () => {
    const { buildRender } = await import('./render.ts');
    const { COMPONENTS, requiredSecrets } = await import('../../apps/index.ts');
    const { REPO_ROOT } = await import('./paths.ts');
    const { docs } = await buildRender({ root: REPO_ROOT, components: COMPONENTS, only: [], validate: () => [], secrets: requiredSecrets });
    expect(docs.length).toBeGreaterThan(200);
    for (const d of docs) expect(toYaml(d.object, '# h\n'), d.file).toBe(toYamlReference(d.object, '# h\n'));
  });

  it('gives the same bytes for random nestings of awkward scalars', () => {
    const strings = ['', 'x', 'yes', 'no', 'n', 'on', '~', 'null', '0777', '1.0', '12:30', 'a: b', 'a #b', '- x', '*x', '&a', '!t', '%p', '@x', '`x', '"q"', "'q'", 'x\ty', ' lead', 'trail ', 'multi\nline', 'multi\nline\n', 'trail\n\n', ' x\n y', '\n', 'a\n\nb', '{a}', '[a]', 'é ü', '#c', 'key:', '? x', 'x'.repeat(300), 'Y', 'NO', 'Off', 'True', 'NULL', 'NaN', 'Infinity', 'inf', 'e5', 'x1-2', 'a.b/c_d', 'app.kubernetes.io/name', 'webserver', 'php-fpm', 'a/', 'a.', 'a-', 'Z9', 'x'.repeat(81)];
    const scalars: unknown[] = [...strings, 0, -1, 1.5, 1e21, 2 ** 53 - 1, true, false, null];
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const make = (depth: number): unknown => {
      const pick = rnd(depth > 3 ? 2 : 5);
      if (pick <= 1) return scalars[rnd(scalars.length)];
      if (pick === 2) return Array.from({ length: rnd(4) }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [strings[rnd(strings.length)]!, make(depth + 1)]));
    };
    for (let i = 0; i < 5000; i++) {
      const v = { apiVersion: 'v1', kind: 'X', spec: make(0), list: [make(1), make(1)] };
      expect(toYaml(v), JSON.stringify(v)).toBe(toYamlReference(v));
    }
  });
});
