// The init jobs of one image version, in order: what the init-jobs component renders and what every long-running Oro pod waits for.
import type { V1Job } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { setupJob } from './setup.ts';
import { volumeInitJob } from './volume-init.ts';

/** volume-init (the release's code on the volume), then install or restore (the database set up or migrated for it). */
export function initJobs(env: Environment): Manifest<V1Job>[] {
  return [volumeInitJob(env), setupJob(env)];
}
