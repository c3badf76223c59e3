// Loading rendered/: paths → environment and component, strict YAML as findings, Kustomize files skipped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
