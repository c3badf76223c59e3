// Everything the namespace runs at its worst case: the rendered workloads, kube-prometheus-stack and the runbooks' pods.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { runbookBudget } from './runbook-budget.ts';
import { stackBudget } from './stack-budget.ts';
import { renderedBudget, type Budget } from './workload-budget.ts';

/** The budget of the environment whose other components rendered `objects`; the LimitRange and the quota both derive from it. */
export function namespaceBudget(env: Environment, objects: readonly KubernetesObject[]): Budget {
  const parts = [renderedBudget(objects), stackBudget(env), runbookBudget(env)];
  return { pods: parts.flatMap((p) => p.pods), claims: parts.flatMap((p) => p.claims) };
}
