// The vendored Gateway API CRDs are the pinned standard-channel release, and the converted schemas come from exactly these bytes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { GATEWAY_API_CRD_DIR, GATEWAY_API_CRD_FILES, GATEWAY_API_VERSION } from './gateway-api.ts';
import { SCHEMA_ROOT } from './validate/schema.ts';

const read = (file: string) => readFileSync(join(GATEWAY_API_CRD_DIR, file), 'utf8');

describe('vendored Gateway API CRDs', () => {
  it('are exactly the listed files', () => {
    expect(readdirSync(GATEWAY_API_CRD_DIR).filter((f) => f.endsWith('.yaml')).sort()).toEqual([...GATEWAY_API_CRD_FILES]);
  });

  it.each(GATEWAY_API_CRD_FILES)('%s is the pinned release, standard channel (a Renovate bump fails here until the files follow)', (file) => {
    const [doc, ...rest] = parseAllDocuments(read(file));
    expect(rest).toEqual([]);
    const crd = doc!.toJS() as { kind: string; metadata: { annotations: Record<string, string> } };
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe(GATEWAY_API_VERSION);
    expect(crd.metadata.annotations['gateway.networking.k8s.io/channel']).toBe('standard');
  });

  it('are the bytes the HTTPRoute and ReferenceGrant schemas were converted from', () => {
    const index = JSON.parse(readFileSync(join(SCHEMA_ROOT, 'crds/index.json'), 'utf8')) as { sources: Record<string, string> };
    for (const file of ['gateway.networking.k8s.io_httproutes.yaml', 'gateway.networking.k8s.io_referencegrants.yaml']) {
      expect(index.sources[`gateway-api/${file}`]).toBe(createHash('sha256').update(read(file)).digest('hex'));
    }
  });
});
