// Loading rendered/: paths → environment and component, strict YAML as findings, Kustomize files skipped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRendered, locate, parseRendered } from './load-rendered.ts';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n';

describe('locate', () => {
  it('reads environment and component from the path', () => {
    expect(locate('rendered/prod/web/deployment-webserver.yaml')).toEqual({ env: 'prod', component: 'web' });
    expect(locate('rendered/prod/apps/web.yaml')).toEqual({ env: 'prod', component: 'apps' });
    expect(locate('rendered/argocd/configmap-argocd-cm.yaml')).toEqual({ env: '', component: 'argocd' });
    expect(locate('rendered/README.yaml')).toEqual({ env: '', component: '' });
    expect(locate('kustomization.yaml')).toEqual({ env: '', component: '' });
  });
});

describe('parseRendered', () => {
  const file = 'rendered/prod/app/configmap-a.yaml';

  it('returns one document per YAML document, empty ones skipped', () => {
    const { docs, findings } = parseRendered(`# header\n${CONFIG_MAP}---\n---\n${CONFIG_MAP.replace('name: a', 'name: b')}`, file);
    expect(findings).toEqual([]);
    expect(docs.map((d) => [d.env, d.component, d.object.metadata.name])).toEqual([['prod', 'app', 'a'], ['prod', 'app', 'b']]);
  });

  it('reports duplicate keys with their position instead of throwing', () => {
    expect(parseRendered(`${CONFIG_MAP}data:\n  k: 1\n  k: 2\n`, file)).toEqual({
      docs: [],
      findings: [{ file, kind: '', name: '', path: '8:3', message: 'Map keys must be unique', rule: 'yaml-duplicate-key' }],
    });
  });

  it('reports broken YAML, unknown tags, directives and non-objects as yaml-invalid', () => {
    const rules = (text: string) => parseRendered(text, file).findings.map((f) => `${f.rule} ${f.path}`);
    expect(rules('a: [1, 2\n')).toEqual([expect.stringMatching(/^yaml-invalid \d+:\d+$/)]);
    expect(rules(`${CONFIG_MAP}data: { k: !foo bar }\n`)).toEqual(['yaml-invalid 6:12']);
    expect(rules(`%YAML 1.1\n---\n${CONFIG_MAP}`)).toEqual(['yaml-invalid ']);
    expect(rules('- 1\n- 2\n')).toEqual(['yaml-invalid 1:1']);
    expect(rules('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n')).toEqual(['yaml-invalid 1:1']);
  });

  it('stops alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(parseRendered(`${CONFIG_MAP}data:\n  ${bomb.replace(/\n/g, '\n  ')}\n`, file).findings.map((f) => f.rule)).toEqual(['yaml-invalid']);
  });

  it('flags values that YAML 1.1 readers (kubectl, Argo CD) read differently', () => {
    const { docs, findings } = parseRendered(`${CONFIG_MAP}data:\n  a: on\n  b: "on"\n  c: 0777\n  d: yes\n`, file);
    expect(docs).toHaveLength(1);
    expect(findings.map((f) => `${f.kind}/${f.name} ${f.path} [${f.rule}]`)).toEqual(['ConfigMap/a data.a [yaml-ambiguous]', 'ConfigMap/a data.c [yaml-ambiguous]', 'ConfigMap/a data.d [yaml-ambiguous]']);
  });
});

describe('parseRendered without a second parse', () => {
  // The YAML 1.1 parse is skipped when every plain scalar resolves the same under both schemas; this
  // checks that shortcut against what a full YAML 1.1 parse of each value says, as key, as value, in a
  // second document, and after a %TAG directive (which YAML 1.1 carries into later documents).
  const LOOK_ALIKES = ['on', 'Off', 'y', 'N', 'yes', 'NO', 'true', 'False', '0777', '0o17', '0x1F', '0b101', '1_000', '1e3', '1E+3', '1.5e-3', '.5', '1.', '.inf', '-.Inf', '~', 'null', 'NULL', '12:30', '1:20:30.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '+12', '-0', '00', '09', '1.2.3', '<<', '=', 'plain text', '"on"', "'0777'", '!!int 0777', '!!str on', '[on, 1]', '{off: 1}', '|\n    on', '0_7', '1__0', '1:60', '190:20:30', '80', '1.0', 'false'];
  const reads11Differently = (v: string) => {
    const at = (text: string) => JSON.stringify(parse(text, { version: '1.1', schema: 'yaml-1.1', merge: false }));
    return at(`k: ${v}\n`) !== JSON.stringify(parse(`k: ${v}\n`, { schema: 'core', merge: false }));
  };
  const ambiguous = (text: string) => parseRendered(text, 'f').findings.some((f) => f.rule === 'yaml-ambiguous');

  it.each(LOOK_ALIKES)('%s is ambiguous exactly when YAML 1.1 reads it differently', (v) => {
    const expected = reads11Differently(v);
    expect(ambiguous(`${CONFIG_MAP}data:\n  k: ${v}\n`)).toBe(expected);
    expect(ambiguous(`${CONFIG_MAP}---\n${CONFIG_MAP}data:\n  k: ${v}\n`)).toBe(expected);
    expect(ambiguous(`%TAG !e! tag:e,2000:\n---\n${CONFIG_MAP}data:\n  k: ${v}\n`)).toBe(expected);
  });
});

describe('loadRendered', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };

  it('reads rendered/**.yaml in path order and skips Kustomize files and other files', () => {
    root = mkdtempSync(join(tmpdir(), 'load-rendered-'));
    write('kustomization.yaml', 'resources: [rendered/prod/bootstrap]\n');
    write('rendered/prod/web/configmap-b.yaml', CONFIG_MAP.replace('name: a', 'name: b'));
    write('rendered/prod/app/configmap-a.yaml', CONFIG_MAP);
    write('rendered/prod/kustomization.yaml', 'resources: []\n');
    write('rendered/README.md', '# not yaml\n');
    write('rendered/argocd/configmap-argocd-cm.yml', CONFIG_MAP.replace('name: a', 'name: argocd-cm'));
    write('rendered/prod/app/broken.yaml', 'a: 1\na: 2\n');
    const { docs, findings } = loadRendered(root);
    expect(docs.map((d) => d.file)).toEqual(['rendered/argocd/configmap-argocd-cm.yml', 'rendered/prod/app/configmap-a.yaml', 'rendered/prod/web/configmap-b.yaml']);
    expect(findings.map((f) => `${f.file} ${f.rule}`)).toEqual(['rendered/prod/app/broken.yaml yaml-duplicate-key']);
  });

  it('returns nothing when there is no rendered/ folder', () => {
    root = mkdtempSync(join(tmpdir(), 'load-rendered-'));
    expect(loadRendered(root)).toEqual({ docs: [], findings: [] });
  });
});
