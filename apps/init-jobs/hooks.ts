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
 * Waves inside the init-jobs Application: its ConfigMap, Secrets and ServiceAccounts keep the
 * component's wave, then volume-init, then install/restore. Sync (not PreSync) hooks, so the
 * ConfigMap and Secrets they read already exist (argocd-anchors §2.3).
 */
export const VOLUME_INIT_WAVE = WAVES['init-jobs'] + 1;
export const SETUP_WAVE = WAVES['init-jobs'] + 2;

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
