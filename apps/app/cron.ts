// The cron Deployment `orocommerce-app-cron`: crond running Oro's scheduler, one pod, never two at once.
import type { V1Deployment, V1Probe } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { oroDeployment } from '../lib/deployment.ts';
import { oroContainer, oroPodSpec } from '../lib/oro-pod.ts';
import { rootContainer } from '../lib/security.ts';

export const CRON_NAME = 'orocommerce-app-cron';

export function cronSelector(env: Environment): Record<string, string> {
  return selectorLabels(env, 'app', 'cron');
}

/** crond is alive (`[c]` keeps the probe from matching its own command line). */
function crondProbe(): V1Probe {
  return { exec: { command: ['bash', '-c', 'grep -qs "[c]rond" /proc/[0-9]*/cmdline'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 };
}

/**
 * What crond needs as root to start a job as its crontab's owner (cronie with PAM, as in Oro's OL8 images):
 * SETUID/SETGID for the switch to www-data; DAC_OVERRIDE because root without it cannot read www-data's 0600
 * crontab nor the 0000 /etc/shadow that PAM's account check reads; AUDIT_WRITE for the audit records PAM sends.
 * Compose runs crond with Docker's default capability set, which includes all four; all four are in the Pod
 * Security baseline the namespace enforces. Nothing else comes back.
 */
const CROND_CAPABILITIES = ['SETUID', 'SETGID', 'DAC_OVERRIDE', 'AUDIT_WRITE'] as const;

/**
 * The one long-running exception to non-root: Compose gives cron no `user:`, and crond must be root to
 * start each job as its crontab's owner (www-data); the jobs themselves run as www-data. Recreate, because
 * two schedulers would run every job twice.
 */
export function cronDeployment(env: Environment): Manifest<V1Deployment> {
  const base = oroPodSpec(env, {
    role: 'cron',
    serviceAccountName: CRON_NAME,
    // fsGroup still hands the volumes to www-data's group; the pod itself does not claim non-root.
    securityContext: { fsGroup: env.oro.gid, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        ...oroContainer(env, { name: 'cron', role: 'cron', args: ['cron'], resources: env.app.cron.resources }),
        securityContext: rootContainer(CROND_CAPABILITIES),
        readinessProbe: crondProbe(),
        livenessProbe: crondProbe(),
      },
    ],
  });
  return oroDeployment(env, { name: CRON_NAME, selector: cronSelector(env), replicas: 1, strategy: { type: 'Recreate' }, pod: base });
}
