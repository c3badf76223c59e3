// The consumer Deployment `orocommerce-app-consumer`: Oro's message-queue worker (the queue lives in PostgreSQL, `dbal:`).
import type { V1Deployment, V1Probe } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { surgeRollout } from '../lib/availability.ts';
import { oroDeployment } from '../lib/deployment.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';

export const CONSUMER_NAME = 'orocommerce-app-consumer';

export function consumerSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'app', 'consumer');
}

/**
 * What the consumer role really runs: `ps` inside the consumer container of Oro's 6.1.6 demo, as a third party captured
 * it (github.com/aniruddhadeshpande/oro_study, logs/phase5-consumer-processes-20260906T190031.log).
 */
export const CONSUMER_COMMAND = 'oro:message-queue:transport:consume';

/**
 * The worker serves no port; the probe checks that a process carries Oro's consume command. The role runs
 * `php /opt/job-runner.phar run … php bin/console … oro:message-queue:transport:consume oro.default
 * --time-limit=15minutes`: the job-runner parent carries the command in its own argv, so the probe stays green
 * while the runner replaces a worker that reached its time limit, and fails once the runner itself is gone. The
 * `[:]` keeps the probe from matching its own command line (it reads as `[:]`, the pattern matches `:`).
 */
export function consumeProcessProbe(): V1Probe {
  const pattern = CONSUMER_COMMAND.replace(/:consume$/, '[:]consume');
  return { exec: { command: ['bash', '-c', `grep -qs '${pattern}' /proc/[0-9]*/cmdline`] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 };
}

/**
 * `shareProcessNamespace` stands in for Compose's `init: true`: the pause container becomes PID 1 and
 * reaps the console's children. The grace period lets a stopping worker finish its message.
 */
export function consumerDeployment(env: Environment): Manifest<V1Deployment> {
  const settings = env.app.consumer;
  return oroDeployment(env, {
    name: CONSUMER_NAME,
    selector: consumerSelector(env),
    replicas: settings.replicas,
    strategy: surgeRollout(),
    pod: {
      ...oroPodSpec(env, {
        role: 'consumer',
        serviceAccountName: CONSUMER_NAME,
        terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
        containers: [
          {
            ...oroContainer(env, { name: 'consumer', role: 'consumer', args: ['consumer'], resources: settings.resources }),
            readinessProbe: consumeProcessProbe(),
            livenessProbe: consumeProcessProbe(),
          },
        ],
      }),
      shareProcessNamespace: true,
    },
  });
}
