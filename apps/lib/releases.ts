// Immutable code releases on the shared volumes: where each image's code, its cache and the release-independent state live.
import type { Environment } from '../../scripts/lib/environment/schema.ts';

/*
 * Why releases (zero-downtime upgrades, the reviewer's M2). Every Oro pod runs the code from pvc-oro-app and its
 * Symfony cache from pvc-cache. Copying a new image over that code (rsync --delete) and emptying the cache while
 * the previous pods still serve from them swaps code and cache under running PHP processes: requests fail until
 * the rollout ends, and a failed upgrade leaves nothing whole to go back to. Instead volume-init copies each image
 * once into releases/<release>/ on pvc-oro-app and prepares an empty <release>/ on pvc-cache, and every pod mounts
 * both by subPath. A new image is a new subPath, hence a new pod template: the Deployments roll, new pods start on
 * the new code and cache while old pods keep theirs until they stop. volume-init prunes all but the
 * `init-jobs.keepReleases` most recently deployed releases, never the current one, and never the release named by
 * setup/release (the newest whose install, restore or update completed, so its pods may be the only ready ones while
 * a newer release fails) nor any release deployed after it.
 *
 * pvc-oro-app:                               pvc-cache:
 *   releases/<release>/   code (read by pods)  <release>/   Symfony cache of that release
 *   sessions/             PHP sessions of every release
 *   setup/                markers of install/restore (apps/init-jobs/setup.ts), setup/release among them
 */

/** Directory of pvc-oro-app that holds one directory per release. */
export const RELEASES_DIR = 'releases';
/** Directory of pvc-oro-app that holds PHP's sessions, shared by every release (lib/volumes.ts). */
export const SESSIONS_DIR = 'sessions';
/** Directory of pvc-oro-app that holds the install/restore markers, outside every release. */
export const SETUP_DIR = 'setup';
/**
 * File of setup/ naming the last release whose install, restore or update completed: apps/init-jobs/setup.ts writes
 * it as its job's last step, so only on success. volume-init reads it to know which release is safe to serve.
 */
export const COMPLETED_RELEASE_FILE = 'release';
/** File volume-init writes into a release as the last step of its copy: a release without it is incomplete. */
export const RELEASE_MARKER = '.oro-release';

/**
 * The release of the environment's image: its tag, plus its digest when one is pinned (a tag can be pushed again,
 * a digest cannot), as a safe directory name. The repository is left out: a mirror of the same tag is the same code.
 */
export function releaseName(env: Environment): string {
  const { tag, digest } = env.oro.image;
  return (digest ? `${tag}-${digest}` : tag).replace(/[^A-Za-z0-9._-]/g, '-');
}

/** The release's code directory on pvc-oro-app. */
export function releaseCodeDir(release: string): string {
  return `${RELEASES_DIR}/${release}`;
}

/** The release's cache directory on pvc-cache. */
export function releaseCacheDir(release: string): string {
  return release;
}
