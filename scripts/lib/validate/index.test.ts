// validateDocs: rules per environment, schema-only outside environments, exceptions and their staleness, crash containment.
import { describe, expect, it } from 'vitest';
import { parseFixture } from '../../rules/lib/fixtures.ts';
import { runRule, validateDocs } from './index.ts';
import type { RenderedDoc } from './types.ts';

const v = (docs: readonly RenderedDoc[], exceptions = [] as Parameters<typeof validateDocs>[1]['exceptions']) =>
  validateDocs(docs, { kubernetesVersion: '1.33', exceptions });

const rootJob = parseFixture(`# file: rendered/a/init-jobs/job-volume-init.yaml
apiVersion: batch/v1
kind: Job
metadata: { name: volume-init, namespace: shop }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: copy, image: "app:1", securityContext: { runAsUser: 0 } }]
`).docs;

describe('validateDocs', () => {
  it('never lets a reference cross environments', () => {
    const { docs } = parseFixture(`# file: rendered/a/web/service-web.yaml
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
---
# file: rendered/b/web/deployment-web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:1.29" }] }
`);
    expect(v(docs).filter((f) => f.rule === 'service-selects-pods').map((f) => f.file)).toEqual(['rendered/a/web/service-web.yaml']);
  });

  it('runs only the schema layer outside environments', () => {
    const docs = rootJob.map((d) => ({ ...d, env: '', file: 'rendered/argocd/job-volume-init.yaml' }));
    expect(v(docs)).toEqual([]);
    const typo = docs.map((d) => ({ ...d, object: { ...d.object, spec: { templat: {} } } }));
    const rules = v(typo).map((f) => f.rule);
    expect(rules).toContain('schema-unknown-field');
    expect(rules.every((r) => r.startsWith('schema-'))).toBe(true);
  });

  it('suppresses what an exception covers and reports an exception that covers nothing', () => {
    const exception = { kind: 'Job', name: 'volume-init', rules: ['pod-security-restricted', 'probes-required'], reason: 'test' };
    const findings = v(rootJob, [exception]);
    expect(findings.some((f) => f.rule === 'pod-security-restricted')).toBe(false);
    expect(findings.filter((f) => f.rule === 'exception-unused')).toEqual([
      expect.objectContaining({ file: 'scripts/rules/exceptions.ts', kind: 'Job', name: 'volume-init', path: 'EXCEPTIONS[0].rules' }),
    ]);
    expect(findings.find((f) => f.rule === 'exception-unused')?.message).toContain('probes-required');
  });

  it('returns sorted findings without duplicates', () => {
    const findings = v([...rootJob, ...rootJob]);
    const lines = findings.map((f) => JSON.stringify(f));
    expect(new Set(lines).size).toBe(lines.length);
    expect(findings.map((f) => f.file)).toEqual([...findings.map((f) => f.file)].sort());
  });
});

describe('runRule', () => {
  it('turns a crashing rule into a finding instead of stopping validation', () => {
    const broken = { id: 'broken', layer: 'policy' as const, description: '', check: () => { throw new Error('boom'); } };
    expect(runRule(broken, { env: 'a', docs: [] })).toEqual([
      { file: 'scripts/rules/broken.ts', kind: '', name: '', path: '', message: 'rule crashed on environment a: boom', rule: 'broken' },
    ]);
  });
});
