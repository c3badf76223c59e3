// Releases: one directory per image on the shared volumes, so a new image rolls the pods onto new code and cache (M2).
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { component as app } from '../app/index.ts';
import { releaseName } from './releases.ts';
import { containerOf, find, podSpecOf } from './testing.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const phpFpm = (image: { tag?: string; digest?: string }) =>
  find<V1Deployment>(app.render(testEnvironment('prod', { oro: { image } })), 'Deployment', 'orocommerce-app');
const codeMount = (d: V1Deployment) => containerOf(podSpecOf(d), 'php-fpm').volumeMounts?.find((m) => m.mountPath === '/var/www/oro');

describe('the release of an image', () => {
  it('is its tag, plus its digest when one is pinned, as a safe folder name', () => {
    expect(releaseName(testEnvironment())).toBe('6.1.6');
    expect(releaseName(testEnvironment('prod', { oro: { image: { tag: '6.1.7', digest: DIGEST } } }))).toBe(`6.1.7-sha256-${'ab'.repeat(32)}`);
  });

  it('ignores the repository, so a mirror of the same image reuses its copy', () => {
    expect(releaseName(testEnvironment('prod', { oro: { image: { repository: 'registry.example.com/oro/app' } } }))).toBe('6.1.6');
  });

  it('changes the pod template with the tag and with the digest, so the Deployments roll onto the new code', () => {
    expect(codeMount(phpFpm({ tag: '6.1.6' }))?.subPath).toBe('releases/6.1.6');
    expect(codeMount(phpFpm({ tag: '6.1.7' }))?.subPath).toBe('releases/6.1.7');
    expect(codeMount(phpFpm({ tag: '6.1.6', digest: DIGEST }))?.subPath).toBe(`releases/6.1.6-sha256-${'ab'.repeat(32)}`);
    const template = (d: V1Deployment) => JSON.stringify(d.spec?.template);
    expect(template(phpFpm({ tag: '6.1.6', digest: DIGEST }))).not.toBe(template(phpFpm({ tag: '6.1.6' })));
  });
});
