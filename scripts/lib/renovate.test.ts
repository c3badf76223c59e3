// renovate.json: the custom managers find every `renovate:` marker in the sources, and nothing points at generated files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  extractDeps,
  findMarkers,
  isIgnored,
  lineOf,
  re2Incompatibilities,
  readsFile,
  type CustomManager,
  type RenovateConfig,
} from './renovate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = JSON.parse(readFileSync(join(root, 'renovate.json'), 'utf8')) as RenovateConfig;
const managers = config.customManagers ?? [];
const ignorePaths = config.ignorePaths ?? [];

/** The custom managers that would read `path`, after ignorePaths, as Renovate decides it. */
function managersFor(path: string): CustomManager[] {
  return isIgnored(path, ignorePaths) ? [] : managers.filter((m) => readsFile(m, path));
}

function depsIn(path: string, content: string) {
  return managersFor(path).flatMap((m) => extractDeps(content, m));
}

/** Repository-relative paths of every file under `dir` (missing folders yield nothing). */
function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [relative(root, join(root, dir, e.name))]));
}

describe('custom managers on the three marker forms', () => {
  const ts = 'apps/db/settings.ts';
  const env = 'environments/prod.yaml';

  it('reads a TypeScript image default', () => {
    const src = [
      'export const dbSettings = z.strictObject({',
      '    // renovate: datasource=docker depName=oroinc/pgsql',
      "    image: image({ repository: 'oroinc/pgsql', tag: '17.2-alpine' }),",
      '});',
    ].join('\n');
    expect(depsIn(ts, src)).toEqual([
      { depName: 'oroinc/pgsql', datasource: 'docker', currentValue: '17.2-alpine', registryUrl: undefined, index: expect.any(Number) },
    ]);
  });

  it("reads a TypeScript image default pinned by digest, tag and digest both (oro.runtimeImage's form)", () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const src = ['      // renovate: datasource=docker depName=oroinc/runtime', `      runtimeImage: runtimeImage({ repository: 'oroinc/runtime', tag: '6.1-latest', digest: '${digest}' }),`].join('\n');
    expect(depsIn(ts, src)).toEqual([{ depName: 'oroinc/runtime', datasource: 'docker', currentValue: '6.1-latest', currentDigest: digest, registryUrl: undefined, index: expect.any(Number) }]);
  });

  it('tracks the digest of the runtime image that the schema pins', () => {
    const path = 'scripts/lib/environment/schema.ts';
    const runtime = depsIn(path, readFileSync(join(root, path), 'utf8')).find((d) => d.depName === 'oroinc/runtime');
    expect(runtime).toMatchObject({ currentValue: '6.1-latest', currentDigest: 'sha256:95777d7291f3a9856c6b3a559c2e183b00c6053744fdd1adcab3513812db4706' });
  });

  it('reads a TypeScript Helm chart default with its registryUrl', () => {
    const src = [
      '        // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts',
      "        chartVersion: pinnedTag.default('77.0.0'),",
    ].join('\n');
    expect(depsIn('apps/monitoring/settings.ts', src)).toEqual([
      {
        depName: 'kube-prometheus-stack',
        datasource: 'helm',
        currentValue: '77.0.0',
        registryUrl: 'https://prometheus-community.github.io/helm-charts',
        index: expect.any(Number),
      },
    ]);
  });

  it.each([
    ['plain', 'tag: 6.1.6'],
    ['double-quoted', 'tag: "6.1.6"'],
    ['single-quoted', "tag: '6.1.6'"],
    ['commented', 'tag: 6.1.6 # pinned for the spring release'],
  ])('reads a %s tag in an environment file', (_, line) => {
    const src = ['oro:', '  image:', '    # renovate: datasource=docker depName=oroinc/orocommerce-application', `    ${line}`, ''].join('\n');
    const deps = depsIn(env, src);
    expect(deps.map((d) => [d.depName, d.datasource, d.currentValue])).toEqual([['oroinc/orocommerce-application', 'docker', '6.1.6']]);
  });

  it('reads a chart version pinned in an environment file', () => {
    const src = [
      '    # renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts',
      '    chartVersion: "77.0.1"',
    ].join('\n');
    expect(depsIn(env, src).map((d) => [d.depName, d.datasource, d.currentValue, d.registryUrl])).toEqual([
      ['kube-prometheus-stack', 'helm', '77.0.1', 'https://prometheus-community.github.io/helm-charts'],
    ]);
  });

  it('reads CRLF files too', () => {
    const src = '    # renovate: datasource=docker depName=oroinc/orocommerce-application-init\r\n    tag: 6.1.6\r\n';
    expect(depsIn('environments/dev.yaml', src).map((d) => d.currentValue)).toEqual(['6.1.6']);
  });

  it('ignores a marker that is not directly above the version', () => {
    const yaml = '# renovate: datasource=docker depName=oroinc/orocommerce-application\nrepository: x\ntag: 6.1.6\n';
    const tsSrc = "// renovate: datasource=docker depName=oroinc/pgsql\n\nimage: image({ repository: 'oroinc/pgsql', tag: '17.2-alpine' }),\n";
    expect(depsIn(env, yaml)).toEqual([]);
    expect(depsIn(ts, tsSrc)).toEqual([]);
  });

  it('finds several markers in one file, each once', () => {
    const src = [
      '// renovate: datasource=docker depName=oroinc/orocommerce-application',
      "image: image({ repository: 'oroinc/orocommerce-application', tag: '6.1.6' }),",
      '// renovate: datasource=docker depName=oroinc/orocommerce-application-init',
      "initImage: image({ repository: 'oroinc/orocommerce-application-init', tag: '6.1.6' }),",
    ].join('\n');
    expect(depsIn('scripts/lib/environment/schema.ts', src).map((d) => d.depName)).toEqual([
      'oroinc/orocommerce-application',
      'oroinc/orocommerce-application-init',
    ]);
  });

  it('reads the validator version CI runs through npx', () => {
    const src = '        run: npx --yes --package renovate@39.99.0 -- renovate-config-validator --strict\n';
    expect(depsIn('.github/workflows/ci.yml', src).map((d) => [d.depName, d.datasource, d.currentValue])).toEqual([['renovate', 'npm', '39.99.0']]);
  });
});

describe('every renovate: marker in the repository', () => {
  const sources = ['apps', 'scripts', 'environments'].flatMap(walk).filter((path) => !path.endsWith('.test.ts'));
  const marked = sources.flatMap((path) => {
    const content = readFileSync(join(root, path), 'utf8');
    const markers = findMarkers(content);
    return markers.length > 0 ? [{ path, content, markers }] : [];
  });

  it('exists (the scan is not vacuous)', () => {
    expect(marked.length).toBeGreaterThan(0);
  });

  it.each(marked.map((f) => [f.path, f] as const))('%s: each marker yields its dependency with the version below it', (path, file) => {
    expect(managersFor(path), `no custom manager reads ${path}`).not.toEqual([]);
    const deps = depsIn(path, file.content);
    const lines = file.content.split('\n');
    expect(deps.map((d) => lineOf(file.content, d.index))).toEqual(file.markers.map((m) => m.line));
    for (const [i, marker] of file.markers.entries()) {
      const dep = deps[i];
      expect(dep?.depName).toBe(marker.fields.depName);
      expect(dep?.datasource).toBe(marker.fields.datasource);
      expect(dep?.registryUrl).toBe(marker.fields.registryUrl);
      expect(dep?.currentValue).toMatch(/^[\w][\w.+-]*$/);
      expect(lines[marker.line + 1]).toContain(dep?.currentValue);
    }
  });
});

describe('renovate.json', () => {
  it('never reads generated output', () => {
    expect(ignorePaths).toEqual(expect.arrayContaining(['rendered/**', 'kustomization.yaml']));
    for (const path of ['rendered/prod/apps/db.yaml', 'rendered/dev/bootstrap/project.yaml', 'kustomization.yaml']) {
      expect(isIgnored(path, ignorePaths), path).toBe(true);
    }
    expect(managersFor('apps/db/settings.test.ts')).toEqual([]);
    expect(managersFor('environments/schema.json')).toEqual([]);
    expect(isIgnored('environments/prod.yaml', ignorePaths)).toBe(false);
    expect(isIgnored('apps/db/settings.ts', ignorePaths)).toBe(false);
  });

  it('enables only npm, GitHub Actions and the custom regex managers (no kubernetes, argocd, kustomize, helm-values)', () => {
    expect([...(config.enabledManagers ?? [])].sort()).toEqual(['custom.regex', 'github-actions', 'npm']);
  });

  it('keeps every matchString valid for RE2, the engine Renovate uses when it can', () => {
    for (const source of managers.flatMap((m) => [...m.matchStrings, ...m.fileMatch])) {
      expect(re2Incompatibilities(source), source).toEqual([]);
    }
    expect(re2Incompatibilities('(?<!x)a(?=b)\\1')).toEqual(['lookahead', 'lookbehind', 'numbered backreference']);
  });

  it.each([
    ['vitest', '<5'],
    ['@kubernetes/client-node', '<2'],
    ['typescript', '<6'],
    ['renovate', '<40'],
    ['@types/node', '<21'],
  ])('holds %s at %s (Node 20) and says why', (name, range) => {
    const rule = (config.packageRules ?? []).find((r) => r.matchPackageNames?.includes(name) && r.allowedVersions);
    expect(rule?.allowedVersions).toBe(range);
    expect(String(rule?.description ?? '')).not.toBe('');
  });

  it('never automerges a bump touching environments/prod.yaml or a production profile, and gives it its own PR', () => {
    const rules = config.packageRules ?? [];
    const lastAutomerge = rules.filter((r) => r.automerge !== undefined).at(-1);
    expect(lastAutomerge).toMatchObject({ matchFileNames: ['environments/prod.yaml', 'environments/profiles/prod*.yaml'], automerge: false });
    const lastGroup = rules.filter((r) => r.groupName !== undefined).at(-1);
    expect(lastGroup).toBe(lastAutomerge);
  });

  it('tracks the validator version that ci.yml (and .ci/run, when it runs the validator) pin', () => {
    const pinned = ['.github/workflows/ci.yml', '.ci/run']
      .filter((path) => existsSync(join(root, path)))
      .flatMap((path) => depsIn(path, readFileSync(join(root, path), 'utf8')).map((d) => d.currentValue));
    expect(pinned.length).toBeGreaterThan(0);
    expect(new Set(pinned)).toEqual(new Set(['39.99.0']));
  });

  it('ignores the re-render bot as an author, so Renovate keeps managing its branches', () => {
    const rerender = readFileSync(join(root, '.github/workflows/rerender.yml'), 'utf8');
    for (const author of config.gitIgnoredAuthors ?? []) expect(rerender).toContain(author);
    expect(config.gitIgnoredAuthors).toHaveLength(1);
  });
});
