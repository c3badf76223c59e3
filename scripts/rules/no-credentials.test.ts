// Token formats, assembled at run time so this repository never holds a string that looks like a live credential.
import { describe, expect, it } from 'vitest';
import { parseFixture } from './lib/fixtures.ts';
import { rule } from './no-credentials.ts';

const repeat = (chars: string, n: number) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);

const TOKENS: Array<[string, string]> = [
  ['a GitHub token', `gh${'p'}_${repeat('aB3', 36)}`],
  ['a GitHub token', `github${'_pat'}_${repeat('aB3_', 40)}`],
  ['a GitLab token', `gl${'pat'}-${repeat('aB3-', 20)}`],
  ['an AWS access key id', `AK${'IA'}${repeat('Q7Z', 16)}`],
  ['a Slack token', `xo${'xb'}-${repeat('1234-', 20)}`],
  ['a Google API key', `AI${'za'}${repeat('aB3_', 35)}`],
  ['a Stripe key', `sk${'_live'}_${repeat('aB3', 24)}`],
  ['an npm token', `np${'m'}_${repeat('aB3', 36)}`],
];

function findingsFor(value: string) {
  const { docs } = parseFixture(`apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { NOTE: "${value}" }\n`);
  return rule.check({ env: 'fixture', docs });
}

describe('no-credentials token formats', () => {
  it.each(TOKENS)('finds %s', (what, token) => {
    expect(findingsFor(`token ${token} here`).map((f) => f.message)).toEqual([`${what} is committed in clear: reference a Secret from the store instead`]);
  });

  it('leaves ordinary values alone', () => {
    expect(findingsFor('oroinc/orocommerce-application:6.1.6 https://shop.example.com/admin')).toEqual([]);
  });
});
