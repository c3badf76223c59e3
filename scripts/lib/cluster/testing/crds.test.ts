// The test CRDs: rebuilt ones are structural (no additionalProperties beside properties, no $ref); the Gateway API's are upstream's.
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
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'podmonitors.monitoring.coreos.com',
      'prometheusrules.monitoring.coreos.com',
      'referencegrants.gateway.networking.k8s.io',
      'scaledobjects.keda.sh',
      'secretstores.external-secrets.io',
      'servicemonitors.monitoring.coreos.com',
      'triggerauthentications.keda.sh',
    ]);
    for (const c of crds) expect((c.spec as { versions: { storage: boolean }[] }).versions.filter((v) => v.storage)).toHaveLength(1);
    const rebuilt = crds.filter((c) => !c.metadata.name.endsWith('.gateway.networking.k8s.io'));
    expect(JSON.stringify(rebuilt)).not.toMatch(/"additionalProperties":false|"\$ref"/);
    // The Gateway API's CRDs arrive whole, so the API server runs their CEL rules on our routes.
    expect(JSON.stringify(crds.find((c) => c.metadata.name === 'httproutes.gateway.networking.k8s.io'))).toMatch(/x-kubernetes-validations/);
  });

  it('keeps map schemas and drops only the strictness marker', () => {
    expect(structural({ type: 'object', additionalProperties: false, properties: { m: { type: 'object', additionalProperties: { type: 'string' } }, meta: { $ref: 'x' } } })).toEqual({
      type: 'object',
      properties: { m: { type: 'object', additionalProperties: { type: 'string' } }, meta: { type: 'object' } },
    });
  });
});
