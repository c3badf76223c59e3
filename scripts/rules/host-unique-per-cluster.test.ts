// npm run render sees every environment at once: two shops on one host of one cluster are refused, whichever way each is exposed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../../apps/index.ts';
import { buildRender, ValidationFailed } from '../lib/render.ts';
import { renderValidator } from '../lib/validate/index.ts';

let root: string;
const write = (name: string, body: string) => writeFile(path.join(root, 'environments', `${name}.yaml`), body);

/** The host-unique-per-cluster findings of a full render, as `file path` lines. */
async function hostFindings(): Promise<string[]> {
  try {
    await buildRender({ root, components: COMPONENTS, only: [], validate: renderValidator, secrets: requiredSecrets });
    return [];
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    return e.findings.filter((f) => f.rule === 'host-unique-per-cluster').map((f) => `${f.file} ${f.path}`);
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'host-unique-'));
  await mkdir(path.join(root, 'environments'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('one host per cluster, across environments', () => {
  it('refuses a copy of an environment on the same cluster and domain, one on Gateway API and one on Ingress', async () => {
    await write('blue', 'domain: shop.example.com\n');
    await write('green', 'domain: shop.example.com\nweb:\n  exposure: ingress\n');
    expect((await hostFindings()).sort()).toEqual([
      'rendered/blue/web/httproute-webserver-ws.yaml spec.hostnames[0]',
      'rendered/blue/web/httproute-webserver.yaml spec.hostnames[0]',
      'rendered/green/web/ingress-webserver-ws.yaml spec.rules[0].host',
      'rendered/green/web/ingress-webserver-ws.yaml spec.tls[0].hosts[0]',
      'rendered/green/web/ingress-webserver.yaml spec.rules[0].host',
      'rendered/green/web/ingress-webserver.yaml spec.tls[0].hosts[0]',
    ]);
  });

  it('accepts the same domain on another cluster, and a copy that is not exposed (port-forward only)', async () => {
    await write('blue', 'domain: shop.example.com\n');
    await write('green', 'domain: shop.example.com\ndestination:\n  server: https://other.k8s.example.com\n');
    await write('local', 'domain: shop.example.com\nweb:\n  exposure: none\n');
    expect(await hostFindings()).toEqual([]);
  });
});
