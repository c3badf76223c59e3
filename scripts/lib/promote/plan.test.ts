// Planning a promotion from effective values: which images and chart versions change, and which do not.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../environment/testing.ts';
import type { EnvironmentFile } from '../environment/schema.ts';
import { describeChange, imagePaths, planPromotion } from './plan.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** An environment and the parsed file it came from (the plan needs both: effective values and what the file sets). */
function env(name: string, file: Partial<EnvironmentFile>) {
  return { env: testEnvironment(name, file), file: { domain: `${name}.shop.example.com`, ...file } };
}

const lines = (from: ReturnType<typeof env>, to: ReturnType<typeof env>, only?: 'image' | 'chart') =>
  planPromotion(from.env, to.env, from.file, only).changes.map(describeChange);

describe('planPromotion', () => {
  it('copies the Oro image tags the target does not run, defaults included', () => {
    const staging = env('staging', { oro: { image: { tag: '6.1.7' }, initImage: { tag: '6.1.7' } } });
    expect(lines(staging, env('prod', {}))).toEqual(['oro.image.tag: 6.1.6 → 6.1.7', 'oro.initImage.tag: 6.1.6 → 6.1.7']);
    expect(lines(env('staging', {}), env('prod', { oro: { image: { tag: '6.1.5' } } }))).toEqual(['oro.image.tag: 6.1.5 → 6.1.6']);
  });

  it('writes nothing the target already runs', () => {
    const staging = env('staging', { oro: { image: { tag: '6.1.6' } } });
    expect(lines(staging, env('prod', {}))).toEqual([]);
  });

  it('adds and removes digests, which win over tags', () => {
    const pinned = env('staging', { oro: { image: { tag: '6.1.7', digest: DIGEST } } });
    expect(lines(pinned, env('prod', {}))).toEqual(['oro.image.tag: 6.1.6 → 6.1.7', `oro.image.digest: (unset) → ${DIGEST}`]);
    expect(lines(env('staging', {}), env('prod', { oro: { image: { digest: DIGEST } } }))).toEqual([`oro.image.digest: ${DIGEST} → (removed)`]);
  });

  it('promotes other image settings only when the source file sets them', () => {
    const staging = env('staging', { db: { image: { tag: '17.3-alpine' } } });
    expect(imagePaths(staging.env, staging.file)).toEqual([['oro', 'image'], ['oro', 'initImage'], ['db', 'image']]);
    expect(lines(staging, env('prod', {}))).toEqual(['db.image.tag: 17.2-alpine → 17.3-alpine']);
    expect(lines(env('staging', {}), env('prod', { monitoring: { exporters: { nginx: { tag: '1.6.0' } } } }))).toEqual([]);
  });

  it('promotes chart versions from effective values, in either direction', () => {
    expect(lines(env('staging', { monitoring: { stack: { chartVersion: '93.0.0' } } }), env('prod', {}))).toEqual(['monitoring.stack.chartVersion: 92.1.0 → 93.0.0']);
    expect(lines(env('staging', {}), env('prod', { monitoring: { stack: { chartVersion: '93.0.0' } } }))).toEqual(['monitoring.stack.chartVersion: 93.0.0 → 92.1.0']);
  });

  it('limits the promotion to images or to charts', () => {
    const staging = env('staging', { oro: { image: { tag: '6.1.7' } }, monitoring: { stack: { chartVersion: '93.0.0' } } });
    expect(lines(staging, env('prod', {}), 'image')).toEqual(['oro.image.tag: 6.1.6 → 6.1.7']);
    expect(lines(staging, env('prod', {}), 'chart')).toEqual(['monitoring.stack.chartVersion: 92.1.0 → 93.0.0']);
  });

  it('leaves repositories alone and warns when they differ', () => {
    const staging = env('staging', { oro: { image: { repository: 'mirror.example.com/oroinc/orocommerce-application', tag: '6.1.7' } } });
    const plan = planPromotion(staging.env, env('prod', {}).env, staging.file);
    expect(plan.changes.map(describeChange)).toEqual(['oro.image.tag: 6.1.6 → 6.1.7']);
    expect(plan.warnings).toEqual([
      'oro.image: staging pulls mirror.example.com/oroinc/orocommerce-application, prod pulls oroinc/orocommerce-application; repositories are not promoted, so check that oroinc/orocommerce-application has this tag',
    ]);
  });
});
