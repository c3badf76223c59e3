// `extends:` chains: merge order, errors at the line where a value was written, cycles, the fleet-wide checks.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { listEnvironmentNames, listProfileRefs, loadFleet, locateDetails, parseEnvironment } from './load.ts';
import { placeholderReason } from './repo-url.ts';
import { TEST_REPO_URL } from './testing.ts';

const BASE = `source:\n  repoURL: ${TEST_REPO_URL}\nweb:\n  replicas: 2\n  resources:\n    requests:\n      cpu: 80m\n`;
const PROD_PROFILE = `extends: profiles/base\napp:\n  php-fpm:\n    hpa:\n      minReplicas: 3\n      maxReplicas: 20\npatches:\n  - target: { kind: Deployment, name: webserver }\n    mergePatch: { spec: { minReadySeconds: 5 } }\n`;
const FILES: Record<string, string> = { 'environments/profiles/base.yaml': BASE, 'environments/profiles/prod.yaml': PROD_PROFILE };

function errorOf(source: string, files: Record<string, string> = FILES): string {
  try {
    parseEnvironment('shop', source, 'environments/shop.yaml', (f) => files[f]);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('extends', () => {
  it('merges the chain furthest ancestor first: maps merge key by key, the file wins, lists replace', () => {
    const env = parseEnvironment('shop', 'extends: profiles/prod\ndomain: shop.example.com\nweb:\n  replicas: 4\npatches: []\n', 'environments/shop.yaml', (f) => FILES[f]);
    expect(env.source.repoURL).toBe(TEST_REPO_URL);
    expect(env.web.replicas).toBe(4);
    expect(env.web.resources.requests.cpu).toBe('80m');
    expect(env.app['php-fpm'].hpa).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(env.patches).toEqual([]);
    expect(parseEnvironment('shop', 'extends: profiles/prod\ndomain: shop.example.com\n', 'environments/shop.yaml', (f) => FILES[f]).patches).toHaveLength(1);
  });

  it('extends another environment, whose own file may extend a profile', () => {
    const files: Record<string, string> = { ...FILES, 'environments/eu.yaml': 'extends: profiles/prod\ndomain: eu.example.com\n' };
    const env = parseEnvironment('eu-canary', 'extends: eu\ndomain: canary.eu.example.com\n', 'environments/eu-canary.yaml', (f) => files[f]);
    expect(env.name).toBe('eu-canary');
    expect(env.destination.namespace).toBe('orocommerce-eu-canary');
    expect(env.app['php-fpm'].hpa.minReplicas).toBe(3);
  });

  it('points an error at the file and line that wrote the value, through any number of extends', () => {
    const files = { ...FILES, 'environments/profiles/base.yaml': BASE.replace('replicas: 2', 'replicas: "2"') };
    expect(errorOf('extends: profiles/prod\ndomain: a.example.com\n', files)).toBe('environments/profiles/base.yaml:4:13 web.replicas: expected number, got string "2"');
    expect(errorOf('extends: profiles/prod\ndomain: a.example.com\napp:\n  php-fpm:\n    hpa:\n      maxReplicas: 2\n')).toBe(
      'environments/shop.yaml:6:20 app.php-fpm.hpa.maxReplicas: maxReplicas must be ≥ minReplicas',
    );
    const typo = { ...FILES, 'environments/profiles/prod.yaml': `${PROD_PROFILE}webb: {}\n` };
    expect(errorOf('extends: profiles/prod\ndomain: a.example.com\n', typo)).toContain('environments/profiles/prod.yaml:10:1 webb: unknown field "webb"');
  });

  it('refuses a cycle and prints the chain', () => {
    const files = { 'environments/profiles/a.yaml': 'extends: profiles/b\n', 'environments/profiles/b.yaml': 'extends: profiles/a\n' };
    expect(errorOf('extends: profiles/a\ndomain: a.example.com\n', files)).toBe(
      'environments/profiles/b.yaml:1:10 extends: extends cycle: profiles/a → profiles/b → profiles/a; break it by removing one of these `extends:`',
    );
    expect(errorOf('extends: shop\ndomain: a.example.com\n', { 'environments/shop.yaml': 'extends: shop\n' })).toContain('extends cycle: shop → shop');
  });

  it('refuses a missing or malformed target at its extends line', () => {
    expect(errorOf('domain: a.example.com\nextends: profiles/prd\n')).toBe('environments/shop.yaml:2:10 extends: no such profile: environments/profiles/prd.yaml does not exist');
    expect(errorOf('extends: ../prod\n')).toContain('environments/shop.yaml:1:10 extends: name a profile as `profiles/<name>`');
  });

  it('requires a repository URL and refuses placeholders, saying what to set', () => {
    expect(errorOf('domain: a.example.com\n', {})).toContain('environments/shop.yaml:1:1 source: required: expected object');
    expect(errorOf('domain: a.example.com\nsource: {}\n', {})).toContain('source.repoURL: required: set it to your fork of this repository');
    expect(errorOf('domain: a.example.com\nsource:\n  repoURL: https://github.com/example/orocommerce-gitops.git\n', {})).toBe(
      'environments/shop.yaml:3:12 source.repoURL: https://github.com/example/orocommerce-gitops.git is a placeholder (github.com/example is the sample owner): set it to your fork of this repository, the one Argo CD pulls rendered/ from (once, in environments/profiles/base.yaml)',
    );
    expect(errorOf('domain: a.example.com\nsource:\n  repoURL: gitops\n', {})).toContain('source.repoURL: a git URL Argo CD can clone');
    expect(['https://git.example.com/a/b.git', 'git@gitlab.example:a/b.git', 'https://github.com/<your-org>/x.git', 'https://localhost/a.git'].map((u) => placeholderReason(u) !== undefined)).toEqual([true, true, true, true]);
    expect(['https://github.com/acme/gitops.git', 'git@github.com:acme/gitops.git', 'ssh://git@git.acme.internal:2222/ops/gitops.git'].map(placeholderReason)).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a storage class that is not a DNS subdomain and absurd replica counts', () => {
    const base = `domain: a.example.com\n${FILES['environments/profiles/base.yaml']!.split('web:')[0]}`;
    expect(errorOf(`${base}pvcs:\n  storageClassName: EFS_rwx\n`, {})).toContain('environments/shop.yaml:5:21 pvcs.storageClassName: a storage class name');
    expect(errorOf(`${base}db:\n  storage:\n    storageClassName: gp3 fast\n`, {})).toContain('environments/shop.yaml:6:23 db.storage.storageClassName: a storage class name');
    expect(errorOf(`${base}web:\n  replicas: 3000\n`, {})).toContain('environments/shop.yaml:5:13 web.replicas: at most 200 replicas');
    expect(errorOf(`${base}app:\n  php-fpm:\n    hpa:\n      maxReplicas: 1000\n`, {})).toContain('environments/shop.yaml:7:20 app.php-fpm.hpa.maxReplicas: at most 200 replicas');
  });
});

describe('loading a fleet from disk', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function repo(files: Record<string, string>): Promise<string> {
    root = await mkdtemp(path.join(os.tmpdir(), 'fleet-load-'));
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
    return root;
  }

  it('does not take profiles for environments', async () => {
    const dir = await repo({ ...FILES, 'environments/a.yaml': 'extends: profiles/base\ndomain: a.example.com\n', 'environments/profiles/schema.json': '{}' });
    expect(await listEnvironmentNames(dir)).toEqual(['a']);
    expect(await listProfileRefs(dir)).toEqual(['profiles/base', 'profiles/prod']);
    const [a] = await loadFleet(dir, ['a']);
    expect(a!.chain.map((c) => c.file)).toEqual(['environments/a.yaml', 'environments/profiles/base.yaml']);
  });

  it('refuses two environments in one namespace of one cluster, at the later file', async () => {
    const dir = await repo({
      ...FILES,
      'environments/a.yaml': 'extends: profiles/base\ndomain: a.example.com\ndestination:\n  namespace: shop\n',
      'environments/b.yaml': 'extends: profiles/base\ndomain: b.example.com\ndestination:\n  server: https://k8s.acme.internal\n  namespace: shop\n',
      'environments/c.yaml': 'extends: profiles/base\ndomain: c.example.com\ndestination:\n  namespace: shop\n',
    });
    expect(await loadFleet(dir, ['a', 'b'])).toHaveLength(2);
    await expect(loadFleet(dir, ['a', 'b', 'c'])).rejects.toThrow(
      new InputError([
        {
          file: 'environments/c.yaml',
          line: 4,
          column: 14,
          field: 'destination.namespace',
          message:
            'c and a (environments/a.yaml) both deploy to namespace shop on https://kubernetes.default.svc; their Applications would fight over the same objects: give one its own destination.namespace (the default is orocommerce-<name>) or cluster',
        },
      ]),
    );
  });

  it('reports a profile mistake once, however many environments extend it', async () => {
    const envs = Object.fromEntries(['a', 'b', 'c'].map((n) => [`environments/${n}.yaml`, `extends: profiles/base\ndomain: ${n}.example.com\n`]));
    const dir = await repo({ ...envs, 'environments/profiles/base.yaml': BASE.replace('cpu: 80m', 'cpu: lots') });
    const error = await loadFleet(dir, ['a', 'b', 'c']).catch((e: InputError) => e);
    expect((error as InputError).details).toHaveLength(1);
    expect((error as InputError).message).toContain('environments/profiles/base.yaml:7:12 web.resources.requests.cpu');
  });

  it('finds the line of a field named after rendering, in the file of the chain that wrote it', async () => {
    const dir = await repo({ ...FILES, 'environments/a.yaml': 'extends: profiles/prod\ndomain: a.example.com\n' });
    const located = await locateDetails(dir, new InputError([{ file: 'environments/a.yaml', field: 'patches[0]', message: 'matches no rendered object' }]));
    expect(located.details[0]).toMatchObject({ file: 'environments/profiles/prod.yaml', line: 8, column: 5 });
  });
});
