// The test CRDs rebuilt from the vendored schemas are structural: no additionalProperties beside properties, no $ref.
import { describe, expect, it } from 'vitest';
import { structural, testCrds } from './crds.ts';

describe('testCrds', () => {
  it('covers every kind the output uses, with one storage version each', () => {
    const crds = testCrds();
    expect(crds.map((c) => c.metadata.name)).toEqual([
      'applications.argoproj.io',
      'appprojects.argoproj.io',
      'clustersecretstores.external-secrets.io',
      'externalsecrets.external-secrets.io',
      'podmonitors.monitoring.coreos.com',
      'prometheusrules.monitoring.coreos.com',
      'secretstores.external-secrets.io',
      'servicemonitors.monitoring.coreos.com',
    ]);
    for (const c of crds) expect((c.spec as { versions: { storage: boolean }[] }).versions.filter((v) => v.storage)).toHaveLength(1);
    expect(JSON.stringify(crds)).not.toMatch(/"additionalProperties":false|"\$ref"/);
  });

  it('keeps map schemas and drops only the strictness marker', () => {
    expect(structural({ type: 'object', additionalProperties: false, properties: { m: { type: 'object', additionalProperties: { type: 'string' } }, meta: { $ref: 'x' } } })).toEqual({
      type: 'object',
      properties: { m: { type: 'object', additionalProperties: { type: 'string' } }, meta: { type: 'object' } },
    });
  });
});
