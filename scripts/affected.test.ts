// `npm run affected` on a throwaway git repository: a profile change lists the environments built on it, as JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './affected.ts';
import { UsageError } from './lib/cli.ts';
import { commitAll, fixtureRepo, removeRepo, writeFiles } from './lib/diff/testing.ts';

let repo: string;
beforeAll(async () => {
  repo = await fixtureRepo({
    'environments/profiles/shop.yaml': 'web:\n  replicas: 2\n',
    'environments/a.yaml': 'extends: profiles/shop\ndomain: a.example.com\n',
    'environments/b.yaml': 'extends: profiles/shop\ndomain: b.example.com\n',
    'environments/c.yaml': 'domain: c.example.com\n',
  });
});
afterAll(async () => removeRepo(repo));

async function run(argv: string[]): Promise<string> {
  let out = '';
  expect(await main(argv, repo, { stdout: (s) => void (out += s) })).toBe(0);
  return out;
}

describe('npm run affected', () => {
  it('lists the environments a profile change affects, for a CI matrix', async () => {
    await writeFiles(repo, { 'environments/profiles/shop.yaml': 'web:\n  replicas: 3\n', 'rendered/c/web/deployment-web.yaml': 'kind: Deployment\n' });
    const json = JSON.parse(await run(['--base', 'HEAD', '--format', 'json'])) as { environments: string[]; applications: { environment: string; folder: string }[]; reasons: Record<string, string[]> };
    expect(json.environments).toEqual(['a', 'b', 'c']);
    expect(json.applications.filter((x) => x.environment === 'c')).toEqual([{ environment: 'c', folder: 'web' }]);
    expect(json.reasons.a).toEqual(['environments/profiles/shop.yaml (profile)']);
    expect(await run(['--base', 'HEAD'])).toMatch(/^affected by HEAD → working tree: 3 environments\n {2}a {2}everything {2}\(environments\/profiles\/shop.yaml \(profile\)\)\n/);
    await commitAll(repo, 'scale');
    expect(JSON.parse(await run(['--base', 'HEAD', '--format', 'json'])).environments).toEqual([]);
    expect(JSON.parse(await run(['--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'])).environments).toEqual(['a', 'b', 'c']);
  });

  it('refuses a missing base or an unknown format', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run(['--base', 'HEAD', '--format', 'yaml'])).rejects.toThrow(/^--format must be text or json/);
  });
});
