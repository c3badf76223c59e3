// Metadata of the init jobs: the labels the waiters select on, and Argo CD Sync hooks recreated on every sync, in order.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { selectorLabels } from '../../scripts/lib/labels.ts';
import { WAVES } from '../waves.ts';

/**
 * Selector labels plus the image version (the pipeline's value, set here explicitly because the waiters of every
 * long-running pod select on it): a Job left from the previous image never satisfies them.
 */
export function initJobLabels(env: Environment, workload: string): Record<string, string> {
  return { ...selectorLabels(env, 'init-jobs', workload), 'app.kubernetes.io/version': env.oro.image.tag };
}

/**
 * Waves inside the init-jobs Application: its ConfigMap, Secrets, ServiceAccounts and backup volume keep the
 * component's wave, then one hook per wave: volume-init, the pre-upgrade backup, maintenance on, install/restore
 * (or the platform update), cache warm-up, maintenance off (upgrade.ts). Argo CD starts a wave only when every hook
 * of the previous one succeeded. Sync (not PreSync) hooks, so the ConfigMap and Secrets they read already exist
 * (argocd-anchors §2.3).
 */
export const VOLUME_INIT_WAVE = WAVES['init-jobs'] + 1;
export const BACKUP_WAVE = WAVES['init-jobs'] + 2;
export const MAINTENANCE_ON_WAVE = WAVES['init-jobs'] + 3;
export const SETUP_WAVE = WAVES['init-jobs'] + 4;
export const WARMUP_WAVE = WAVES['init-jobs'] + 5;
export const MAINTENANCE_OFF_WAVE = WAVES['init-jobs'] + 6;

/**
 * BeforeHookCreation deletes the previous run just before the next sync creates it again, so every
 * sync (an image upgrade changes the ConfigMap, hence syncs this Application) re-runs the jobs, which
 * skip what is already done. No ttlSecondsAfterFinished: the wait-for-init-jobs initContainers read
 * the completed Jobs (a TTL would make every later pod wait forever), and BeforeHookCreation already
 * keeps exactly one finished run around for its logs.
 */
export function syncHook(wave: number): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': 'Sync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    'argocd.argoproj.io/sync-wave': String(wave),
  };
}

/**
 * The message every upgrade step prints when it fails, so the Job log (and the pod's termination message, which
 * FallbackToLogsOnError fills from the log's tail) says where the upgrade stands and what to do next.
 */
export function failureTrap(step: string, maintenance: 'on' | 'not yet on' = 'on'): string {
  const state =
    maintenance === 'on'
      ? 'The shop stays in maintenance (503) until the upgrade completes.'
      : 'Maintenance is not on yet: the shop still serves the previous release, and nothing was migrated.';
  const message = [
    `UPGRADE STOPPED at the ${step} step. ${state}`,
    'Retry: fix the cause shown above, then sync the init-jobs Application again; every step skips what is already done.',
    'Roll back: restore the pre-upgrade backup and go back to the previous image (apps/db/README.md, section Roll back an upgrade).',
  ].join(' ');
  return `trap 'if [ $? -ne 0 ]; then echo "${message}" >&2; fi' EXIT`;
}
