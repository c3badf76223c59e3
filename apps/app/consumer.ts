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
 * The worker serves no port; the probe checks that an `oro:message-queue:consume` process is alive
 * (the `[:]` keeps the probe from matching its own command line). A worker that exits already ends the
 * container; this catches an entrypoint that outlives its worker.
 */
export function consumeProcessProbe(): V1Probe {
  return { exec: { command: ['bash', '-c', 'grep -qs "message-queue[:]consume" /proc/[0-9]*/cmdline'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 };
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
