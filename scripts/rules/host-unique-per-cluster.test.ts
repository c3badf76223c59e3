// One host per cluster, across environments: npm run render refuses at the `domain:` line, before it renders;
// npm run validate finds the same on a committed tree through the rule (its fixtures are in fixtures/).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../../apps/index.ts';
import { InputError } from '../lib/errors.ts';
import { TEST_REPO_URL } from '../lib/environment/testing.ts';
import { buildRender } from '../lib/render.ts';
import { renderValidator } from '../lib/validate/index.ts';

let root: string;
const write = (name: string, body: string) => writeFile(path.join(root, 'environments', `${name}.yaml`), `source:\n  repoURL: ${TEST_REPO_URL}\n${body}`);

/** The errors of a full render about a shared host, as `file:line field: message` lines. */
async function hostErrors(): Promise<string[]> {
  try {
    await buildRender({ root, components: COMPONENTS, only: [], validate: renderValidator, secrets: requiredSecrets });
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.details.filter((d) => d.field === 'domain').map((d) => `${d.file}:${d.line} ${d.field}: ${d.message}`);
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'host-unique-'));
  await mkdir(path.join(root, 'environments'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('one host per cluster, across environments', () => {
  it('refuses a copy of an environment on the same cluster and domain, one on Gateway API and one on Ingress, at the later file', async () => {
    await write('blue', 'domain: shop.example.com\n');
    await write('green', 'domain: shop.example.com\nweb:\n  exposure: ingress\n');
    expect(await hostErrors()).toEqual([
      expect.stringMatching(/^environments\/green\.yaml:3 domain: green and blue \(environments\/blue\.yaml\) both claim host shop\.example\.com on https:\/\/kubernetes\.default\.svc; /),
    ]);
  });

  it('accepts the same domain on another cluster, and a copy that is not exposed (port-forward only)', async () => {
    await write('blue', 'domain: shop.example.com\n');
    await write('green', 'domain: shop.example.com\ndestination:\n  server: https://other.k8s.example.com\n');
    await write('local', 'domain: shop.example.com\nweb:\n  exposure: none\n');
    expect(await hostErrors()).toEqual([]);
  });
});
