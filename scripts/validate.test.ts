// The validate CLI: argument parsing, environment selection, formats and exit codes, with an in-memory rendered tree.
import { describe, expect, it } from 'vitest';
import { parseFixture } from './rules/lib/fixtures.ts';
import type { Loaded } from './lib/validate/load-rendered.ts';
import { parseArgs, runValidate, UsageError, type CliOptions } from './validate.ts';

const defaults: CliOptions = { envs: [], format: 'text', root: '/repo', kubernetesVersion: '1.33', help: false };

describe('parseArgs', () => {
  it('defaults to every environment, text, the working directory and Kubernetes 1.33', () => {
    expect(parseArgs([], '/repo')).toEqual(defaults);
  });

  it('accepts repeated, comma-separated and inline values', () => {
    expect(parseArgs(['--env', 'dev', '--env=staging,prod', '--format=junit', '--root', 'sub', '--kubernetes-version', '1.34'], '/repo')).toEqual({
      ...defaults,
      envs: ['dev', 'staging', 'prod'],
      format: 'junit',
      root: '/repo/sub',
      kubernetesVersion: '1.34',
    });
    expect(parseArgs(['-h'], '/repo').help).toBe(true);
  });

  it.each([
    [['--format', 'yaml'], '--format yaml: expected one of text, json, junit'],
    [['--env'], '--env needs a value'],
    [['--env='], '--env needs a value'],
    [['--kubernetes-version', '1.33.0'], '--kubernetes-version 1.33.0: expected a minor version such as 1.33'],
    [['--verbose'], 'unknown argument --verbose'],
    [['prod'], 'unknown argument prod'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv, '/repo')).toThrow(new UsageError(message));
  });
});

const tree = parseFixture(`# file: rendered/dev/web/deployment-web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: orocommerce-dev }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "nginx:latest" }] }
---
# file: rendered/prod/pvcs/persistentvolumeclaim-pvc.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pvc
  namespace: orocommerce-prod
  labels: { app.kubernetes.io/name: pvc, app.kubernetes.io/component: pvcs, app.kubernetes.io/part-of: orocommerce, app.kubernetes.io/managed-by: orocommerce-gitops }
spec: { accessModes: [ReadWriteMany], resources: { requests: { storage: 1Gi } } }
---
# file: rendered/argocd/configmap-argocd-cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: argocd-cm, namespace: argocd }
`);
// The tree renders no workload that needs an exception, so the CLI runs with none.
const load = (): Loaded => ({ docs: tree.docs, findings: [{ file: 'rendered/staging/app/x.yaml', kind: '', name: '', path: '1:1', message: 'Map keys must be unique', rule: 'yaml-duplicate-key' }] });

describe('runValidate', () => {
  it('exits 1 with findings from every environment, load errors included', () => {
    const { output, exitCode } = runValidate(defaults, load, []);
    expect(exitCode).toBe(1);
    expect(output).toContain('rendered/dev/web/deployment-web.yaml Deployment/web spec.template.spec.containers[0].image: tag latest floats; pin a version or a digest [image-pinned]');
    expect(output).toContain('rendered/staging/app/x.yaml 1:1: Map keys must be unique [yaml-duplicate-key]');
    expect(output).toMatch(/\nvalidate: \d+ findings in 2 files \(3 documents, 2 environments\)\n$/);
  });

  it('exits 0 when the selected environments are clean, leaving shared files to full runs', () => {
    const { output, exitCode } = runValidate({ ...defaults, envs: ['prod'] }, load, []);
    expect({ output, exitCode }).toEqual({ output: 'validate: no findings (1 document, 1 environment)\n', exitCode: 0 });
  });

  it('prints JSON and JUnit', () => {
    const json = JSON.parse(runValidate({ ...defaults, envs: ['prod'], format: 'json' }, load, []).output) as unknown;
    expect(json).toEqual({ findings: [], summary: { documents: 1, environments: 1, files: 0, findings: 0 } });
    expect(runValidate({ ...defaults, envs: ['staging'], format: 'junit' }, load, []).output).toContain('<testsuite name="yaml-duplicate-key" tests="1" failures="1"');
  });

  it('refuses an unknown environment or Kubernetes version and an empty tree as usage errors', () => {
    expect(() => runValidate({ ...defaults, kubernetesVersion: '1.20' }, load, [])).toThrow(/^--kubernetes-version 1.20: no vendored schemas \(available: .*1\.33/);
    expect(() => runValidate({ ...defaults, envs: ['qa'] }, load)).toThrow(new UsageError('no rendered environment qa (rendered: dev, prod, staging)'));
    expect(() => runValidate(defaults, () => ({ docs: [], findings: [] }))).toThrow(new UsageError('nothing to validate: /repo/rendered holds no YAML file'));
  });
});
