// One image per role, as Oro 6.1 runs them, and the runtime image's setting: a floating tag only with its digest.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { roleImage } from './oro-pod.ts';

const RUNTIME = 'oroinc/runtime:6.1-latest@sha256:95777d7291f3a9856c6b3a559c2e183b00c6053744fdd1adcab3513812db4706';

describe('role images', () => {
  it('run php-fpm, nginx, websocket, consumer and cron from oroinc/runtime, install from the application image, restore from -init', () => {
    const env = testEnvironment();
    for (const role of ['php-fpm', 'webserver', 'websocket', 'consumer', 'cron'] as const) expect(roleImage(env, role), role).toBe(RUNTIME);
    expect(roleImage(env, 'install')).toBe('oroinc/orocommerce-application:6.1.6');
    expect(roleImage(env, 'restore')).toBe('oroinc/orocommerce-application-init:6.1.6');
  });

  it('refuses a floating runtime tag without its digest, and takes tag and digest as one value', () => {
    expect(() => testEnvironment('prod', { oro: { runtimeImage: { tag: '6.1-latest' } } })).toThrow(/floating tag .* needs its `digest/);
    expect(() => testEnvironment('prod', { oro: { runtimeImage: { digest: `sha256:${'1'.repeat(64)}` } as never } })).toThrow();
    const pinned = testEnvironment('prod', { oro: { runtimeImage: { tag: '6.1.6' } } });
    expect(roleImage(pinned, 'php-fpm')).toBe('oroinc/runtime:6.1.6');
    const moved = testEnvironment('prod', { oro: { runtimeImage: { tag: '6.1-latest', digest: `sha256:${'1'.repeat(64)}` } } });
    expect(roleImage(moved, 'consumer')).toBe(`oroinc/runtime:6.1-latest@sha256:${'1'.repeat(64)}`);
  });

  it("defaults www-data to Oro's last published numbers, 2002/2001 (checked at first start)", () => {
    expect(testEnvironment().oro).toMatchObject({ uid: 2002, gid: 2001 });
  });
});
