// volume-init's Job as rendered: what it copies and prunes, the setup marker it trusts, and the www-data checks before it (run for real in volume-init.real.test.ts).
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { COMPLETED_RELEASE_FILE, SETUP_DIR } from '../lib/releases.ts';
import { checkedImages } from './identity.ts';
import { SETUP_STATE_PATH, setupJob, setupScript } from './setup.ts';
import { volumeInitJob, volumeInitScript } from './volume-init.ts';

const RUNTIME = 'oroinc/runtime:6.1-latest@sha256:95777d7291f3a9856c6b3a559c2e183b00c6053744fdd1adcab3513812db4706';

describe('volume-init', () => {
  it('copies the application image with rsync, leaving out what other volumes cover', () => {
    expect(volumeInitScript(testEnvironment('prod'))).toContain(
      "rsync -a --exclude='/var/cache/*' --exclude='/var/data/*' --exclude='/var/maintenance/*' --exclude='/var/sessions/*' --exclude='/public/media/*' /var/www/oro/ \"$tmp/\"",
    );
    expect(volumeInitJob(testEnvironment('prod')).spec?.template.spec?.containers[0]?.image).toBe('oroinc/orocommerce-application:6.1.6');
  });

  it('trusts the marker that install/restore writes only on success, where it writes it', () => {
    const env = testEnvironment('prod');
    expect(volumeInitScript(env)).toContain(`completed=$(cat "$setup/${COMPLETED_RELEASE_FILE}" 2>/dev/null || true)`);
    expect(volumeInitScript(env)).toContain(`setup=/mnt/oro-app/${SETUP_DIR}`);
    // setup.ts: `set -e`, and the marker is its last command; its folder is pvc-oro-app's setup/.
    const setup = setupScript(env).split('\n');
    expect(setup[0]).toBe('set -euo pipefail');
    expect(setup.at(-1)).toBe(`mark ${COMPLETED_RELEASE_FILE} "$release"`);
    expect(setup).toContain(`state=${SETUP_STATE_PATH}`);
    const mounts = setupJob(env).spec?.template.spec?.containers[0]?.volumeMounts ?? [];
    expect(mounts).toContainEqual({ name: 'oro-app', mountPath: SETUP_STATE_PATH, subPath: SETUP_DIR });
  });

  it('first checks www-data in every image the pods run: runtime and application, plus -init for a restore', () => {
    const install = volumeInitJob(testEnvironment('prod')).spec?.template.spec?.initContainers ?? [];
    expect(install.map((c) => [c.name, c.image])).toEqual([
      ['www-data-in-runtime', RUNTIME],
      ['www-data-in-application', 'oroinc/orocommerce-application:6.1.6'],
    ]);
    const restore = testEnvironment('dev', { 'init-jobs': { mode: 'restore' } });
    expect(checkedImages(restore).map((i) => i.name)).toEqual(['runtime', 'application', 'init']);
    for (const c of install) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 2002, runAsGroup: 2001, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    }
  });

  it('checks an image once when two settings name it', () => {
    const same = testEnvironment('prod', { oro: { runtimeImage: { repository: 'oroinc/orocommerce-application', tag: '6.1.6' } } });
    expect(checkedImages(same).map((i) => i.name)).toEqual(['runtime']);
  });
});

describe('volume-init settings', () => {
  it('refuses to keep fewer than two releases: the previous one still serves during a rollout', () => {
    expect(() => testEnvironment('prod', { 'init-jobs': { keepReleases: 1 } })).toThrow();
  });
});
