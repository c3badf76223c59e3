// The 500-shop fixture (generated, never committed) loads through its profiles and renders every environment's Argo CD wiring.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from '../component.ts';
import { buildRender } from '../render.ts';
import { fleetFiles } from './fleet-fixture.ts';
import { listEnvironmentNames, loadFleet } from './load.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'fleet-fixture-'));
  for (const [file, text] of fleetFiles(500)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
});
afterAll(async () => rm(root, { recursive: true, force: true }));

/** One small component keeps this about the fleet (loading, Applications, bootstrap), not about the workloads, which have their own tests. */
const settings: Component = { name: 'pvcs', wave: 0, description: 'fixture', render: (env) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop' }, data: { domain: env.domain, tag: env.oro.image.tag } }] };

describe('the 500-shop fixture', () => {
  it('is 500 four-line files on two profiles, on ten clusters', async () => {
    const names = await listEnvironmentNames(root);
    expect(names).toHaveLength(500);
    const fleet = await loadFleet(root, names);
    expect(new Set(fleet.map((l) => l.env.destination.server)).size).toBe(10);
    expect(fleet[499]!.chain.map((c) => c.ref)).toEqual(['shop-500', 'profiles/shop', 'profiles/base']);
    expect(fleet[499]!.env.oro.image.tag).toBe('6.1.6');
  });

  it('renders every environment with its Applications and bootstrap', async () => {
    const result = await buildRender({ root, components: [settings], only: [], validate: () => [] });
    expect(result.environments).toHaveLength(500);
    const files = [...result.plan.folders.values()].flat();
    expect(files.filter((f) => f.path.endsWith('/apps/application-orocommerce-shop-500-pvcs.yaml'))[0]!.content).toContain('argocd.argoproj.io/manifest-generate-paths: /rendered/shop-500/pvcs\n');
    expect(result.plan.files.find((f) => f.path === 'kustomization.yaml')!.content.match(/bootstrap\/application-orocommerce-shop-\d{3}\.yaml/g)).toHaveLength(500);
  });
});
