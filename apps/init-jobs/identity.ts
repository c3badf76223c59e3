// The www-data check: one initContainer per Oro image the pods run, failing with one line when oro.uid/oro.gid do not match the image.
import type { V1Container } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { roleImage, TMP_MOUNT } from '../lib/oro-pod.ts';
import { restrictedContainer } from '../lib/security.ts';

/** The Oro images the pods run (oro-pod.ts roleImage), by what Oro calls them, each once (two settings may name the same image). */
export function checkedImages(env: Environment): { name: string; ref: string }[] {
  const images = [
    { name: 'runtime', ref: roleImage(env, 'php-fpm') },
    { name: 'application', ref: roleImage(env, 'install') },
    ...(env['init-jobs'].mode === 'restore' ? [{ name: 'init', ref: roleImage(env, 'restore') }] : []),
  ];
  return images.filter((image, i) => images.findIndex((other) => other.ref === image.ref) === i);
}

/**
 * Reads www-data's numbers from the image's own /etc/passwd and compares them with the settings. A mismatch is one
 * line that names the image, both values and the settings to change, in the environment's file; it also ends up in
 * the pod's status (FallbackToLogsOnError), where `kubectl describe` shows it.
 */
export function wwwDataCheckScript(env: Environment, ref: string): string {
  const file = `environments/${env.name}.yaml`;
  const expected = `${env.oro.uid}:${env.oro.gid}`;
  return [
    'set -euo pipefail',
    `image='${ref}'`,
    'if ! uid=$(id -u www-data 2>/dev/null) || ! gid=$(id -g www-data 2>/dev/null); then',
    `  echo "ERROR: $image has no user www-data, which every Oro pod runs as; check oro.image, oro.runtimeImage and oro.initImage in ${file}" >&2`,
    '  exit 1',
    'fi',
    `if [ "$uid:$gid" != '${expected}' ]; then`,
    `  echo "ERROR: www-data is uid $uid, gid $gid in $image, but oro.uid is ${env.oro.uid} and oro.gid is ${env.oro.gid}: set oro.uid: $uid and oro.gid: $gid in ${file}" >&2`,
    '  exit 1',
    'fi',
    `echo "www-data is uid $uid, gid $gid in $image, as oro.uid and oro.gid say"`,
  ].join('\n');
}

/**
 * Before volume-init hands folders to oro.uid/oro.gid, and before any pod runs as them: Oro does not publish www-data's
 * numbers for 6.1, and a wrong pair fails late and obscurely (unwritable caches, crond refusing www-data's crontab).
 * One container per image, as the runtime and application images are built apart and could differ. Runs as the
 * configured uid, which needs no entry in /etc/passwd to read it.
 */
export function wwwDataChecks(env: Environment): V1Container[] {
  const { requests, limits } = env['init-jobs'].volumeInitResources;
  return checkedImages(env).map(({ name, ref }) => ({
    name: `www-data-in-${name}`,
    image: ref,
    command: ['bash', '-c', wwwDataCheckScript(env, ref)],
    resources: { requests: { ...requests }, limits: { ...limits } },
    securityContext: { ...restrictedContainer(), runAsNonRoot: true, runAsUser: env.oro.uid, runAsGroup: env.oro.gid },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [TMP_MOUNT],
  }));
}
