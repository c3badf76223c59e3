// The init jobs of one image version, in order: what the init-jobs component renders and what every long-running Oro pod waits for.
import type { V1Job } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { setupJob } from './setup.ts';
import { upgradeJobs } from './upgrade.ts';
import { volumeInitJob } from './volume-init.ts';

/**
 * volume-init (the release's code on the volume), the pre-upgrade backup and maintenance on, install or restore (the
 * database set up or migrated for it), then the cache warm-up and maintenance off. Every long-running pod of the
 * image waits for all of them, so new pods start only after maintenance is off again.
 */
export function initJobs(env: Environment): Manifest<V1Job>[] {
  const upgrade = upgradeJobs(env);
  return [volumeInitJob(env), ...upgrade.before, setupJob(env), ...upgrade.after];
}
