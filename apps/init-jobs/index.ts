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
import { setupJobName } from './setup.ts';
import { VOLUME_INIT_NAME } from './volume-init.ts';

export const component: Component = {
  name: 'init-jobs',
  wave: WAVES['init-jobs'],
  description: 'Oro settings and secrets, then the volume-init and install/restore hook Jobs',
  render: (env) => [
    untyped(oroConfigMap(env)),
    ...appSecrets(env),
    untyped(jobWaiterRole()),
    untyped(serviceAccount(VOLUME_INIT_NAME, selectorLabels(env, 'init-jobs', VOLUME_INIT_NAME))),
    untyped(serviceAccount(setupJobName(env), selectorLabels(env, 'init-jobs', env['init-jobs'].mode))),
    ...initJobs(env).map(untyped),
  ],
};
