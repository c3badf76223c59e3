// The cross-cutting transforms: labels, namespace, sync wave, and the environment's patches.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../environment/testing.ts';
import { InputError } from '../errors.ts';
import type { KubernetesObject } from '../k8s.ts';
import { applyTransforms } from './index.ts';
import { applyPatches, mergePatch } from './patches.ts';

const env = testEnvironment('prod');
const ctx = { env, component: 'web', wave: 6 };

const deployment = (): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'webserver', labels: { 'app.kubernetes.io/name': 'webserver' } },
  spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'webserver' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
});

describe('applyTransforms', () => {
  const [out] = applyTransforms([deployment()], ctx);

  it('adds the common labels to the object and its pod template, keeping the workload name', () => {
    const expected = {
      'app.kubernetes.io/name': 'webserver',
      'app.kubernetes.io/instance': 'orocommerce-prod',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': 'orocommerce',
      'app.kubernetes.io/managed-by': 'orocommerce-gitops',
      'app.kubernetes.io/version': env.oro.image.tag,
    };
    expect(out!.metadata.labels).toEqual(expected);
    expect((out!.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels).toEqual(expected);
  });

  it('puts namespaced objects in the environment namespace and leaves cluster-scoped ones alone', () => {
    expect(out!.metadata.namespace).toBe('orocommerce-prod');
    const [ns] = applyTransforms([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }], ctx);
    expect(ns!.metadata.namespace).toBeUndefined();
  });

  it("sets the component's sync wave unless the component chose one", () => {
    expect(out!.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '6' });
    const chosen = { ...deployment(), metadata: { name: 'j', annotations: { 'argocd.argoproj.io/sync-wave': '1' } } };
    expect(applyTransforms([chosen], ctx)[0]!.metadata.annotations!['argocd.argoproj.io/sync-wave']).toBe('1');
  });

  it('does not mutate its input', () => {
    const input = deployment();
    applyTransforms([input], ctx);
    expect(input).toEqual(deployment());
  });
});

describe('mergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: ['b'] }, { a: ['c', 'd'] }, { a: ['c', 'd'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [['a'], { a: 'b' }, { a: 'b' }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  ])('merge(%j, %j) = %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});

describe('applyPatches', () => {
  const target = { kind: 'Deployment', name: 'webserver' };

  it('applies a merge patch to the matching object only', () => {
    const other = { ...deployment(), metadata: { name: 'other' } };
    const out = applyPatches([deployment(), other], [{ target, mergePatch: { spec: { minReadySeconds: 10 } } }], 'environments/prod.yaml');
    expect((out[0]!.spec as { minReadySeconds?: number }).minReadySeconds).toBe(10);
    expect(out[1]).toEqual(other);
  });

  it('applies a JSON patch', () => {
    const out = applyPatches([deployment()], [{ target, jsonPatch: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }] }], 'f.yaml');
    expect(out[0]!.metadata.annotations).toEqual({ a: 'b' });
  });

  it('refuses a patch that matches nothing, naming it', () => {
    expect(() => applyPatches([deployment()], [{ target: { kind: 'Deployment', name: 'webservr' }, mergePatch: {} }], 'environments/prod.yaml')).toThrow(
      /environments\/prod.yaml patches\[0\]: matches no rendered object \(Deployment\/webservr\)/,
    );
  });

  it('refuses a JSON patch whose test fails', () => {
    const patch = { target, jsonPatch: [{ op: 'test' as const, path: '/metadata/name', value: 'nope' }] };
    expect(() => applyPatches([deployment()], [patch], 'f.yaml')).toThrow(InputError);
  });

  it.each([
    ['a merge patch that deletes the list', { target, mergePatch: { spec: { template: { spec: { containers: null } } } } }],
    ['a JSON patch that removes it', { target, jsonPatch: [{ op: 'remove' as const, path: '/spec/template/spec/containers' }] }],
    ['a merge patch that empties it', { target, mergePatch: { spec: { template: { spec: { containers: [] } } } } }],
  ])('refuses %s, naming the patch and the path instead of crashing later', (_, patch) => {
    expect(() => applyPatches([deployment()], [patch], 'environments/prod.yaml')).toThrow(
      'environments/prod.yaml patches[0]: leaves Deployment/webserver without a list of containers at spec.template.spec.containers',
    );
  });
});
