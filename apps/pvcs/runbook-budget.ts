// Pods the runbooks start by hand in the namespace, which the LimitRange and the quota must admit like any workload.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Budget } from './workload-budget.ts';

/** The restore pod of apps/db/README.md ("The restore pod"), as its manifest sets them; a test keeps the two equal. */
export const RESTORE_POD_RESOURCES = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } } as const;

/**
 * The restore and drill pod exists wherever the backup does, while the shop runs, with a scratch volume
 * that the runbook sizes at `db.storage.size`. A manual backup Job is not counted beside the nightly one:
 * the runbook starts it only when no scheduled run is active.
 */
export function runbookBudget(env: Environment): Budget {
  if (!env.db.backup.enabled) return { pods: [], claims: [] };
  const owner = 'Pod/database-orocommerce-restore';
  return {
    pods: [{ owner, pods: 1, pod: { containers: [{ name: 'restore', resources: { requests: { ...RESTORE_POD_RESOURCES.requests }, limits: { ...RESTORE_POD_RESOURCES.limits } } }] } }],
    claims: [{ owner, claims: 1, storage: env.db.storage.size }],
  };
}
