// Output YAML reads the same under YAML 1.1 (kubectl, Argo CD) and 1.2, with a canonical key order.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { canonicalize, toYaml } from './yaml.ts';

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
