// The init-jobs component (wave 2): Oro's settings and secrets, the job waiter Role, and the volume-init then install/restore hooks.
import type { Component } from '../../scripts/lib/component.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { oroConfigMap } from '../lib/config.ts';
import { untyped } from '../lib/objects.ts';
import { appSecrets } from '../lib/secrets.ts';
import { serviceAccount } from '../lib/security.ts';
import { jobWaiterRole } from '../lib/waiter.ts';
import { WAVES } from '../waves.ts';
import { initJobs } from './jobs.ts';
import { upgradeBackupClaim, upgradeBackupEnabled } from './upgrade.ts';

export const component: Component = {
  name: 'init-jobs',
  wave: WAVES['init-jobs'],
  description: 'Oro settings and secrets, then the hook Jobs: volume-init, pre-upgrade backup, maintenance on, install/restore/update, cache warm-up, maintenance off',
  render: (env) => [
    untyped(oroConfigMap(env)),
    ...appSecrets(env),
    untyped(jobWaiterRole()),
    ...(upgradeBackupEnabled(env) ? [untyped(upgradeBackupClaim(env))] : []),
    // One ServiceAccount per hook Job, named like it: none of them holds a token (automountServiceAccountToken: false).
    ...initJobs(env).map((job) => untyped(serviceAccount(job.metadata.name, selectorLabels(env, 'init-jobs', job.metadata.labels?.['app.kubernetes.io/name'] ?? job.metadata.name)))),
    ...initJobs(env).map(untyped),
  ],
};
