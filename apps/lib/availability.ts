// Keeping replicas up: rollout strategy, spread across zones and nodes, and disruption budgets.
import type { V1DeploymentStrategy, V1PodDisruptionBudget, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from './objects.ts';

/** Start the new pod before stopping an old one, so capacity never drops during a rollout. */
export function surgeRollout(): V1DeploymentStrategy {
  return { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
}

/**
 * One pod per zone and per node where possible (D-16). Zones are a hard rule only where the
 * environment says its nodes carry zone labels (`topology.zoneSpread`), and there `topology.zones`
 * becomes `minDomains`: until that many zones have nodes, the scheduler counts a missing zone as
 * holding no pod, so no zone takes a second one and pods wait (the cluster autoscaler adds nodes in the
 * missing zone) rather than crowd the zones that exist. Nodes stay a soft rule so a surge pod can still
 * land on a busy node. `pod-template-hash` counts only the current ReplicaSet.
 */
export function spreadConstraints(env: Environment, selector: Record<string, string>): V1TopologySpreadConstraint[] {
  const spread = (topologyKey: string, rule: Pick<V1TopologySpreadConstraint, 'whenUnsatisfiable' | 'minDomains'>): V1TopologySpreadConstraint => ({
    maxSkew: 1,
    topologyKey,
    ...rule,
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: ['pod-template-hash'],
  });
  return [spread('topology.kubernetes.io/zone', zoneRule(env)), spread('kubernetes.io/hostname', { whenUnsatisfiable: 'ScheduleAnyway' })];
}

/** The API accepts `minDomains` only with DoNotSchedule, which is why it comes with zoneSpread alone. */
function zoneRule(env: Environment): Pick<V1TopologySpreadConstraint, 'whenUnsatisfiable' | 'minDomains'> {
  const { zoneSpread, zones } = env.topology;
  if (!zoneSpread) return { whenUnsatisfiable: 'ScheduleAnyway' };
  return { whenUnsatisfiable: 'DoNotSchedule', ...(zones === undefined ? {} : { minDomains: zones }) };
}

/**
 * A drain may take one pod at a time (D-15). AlwaysAllow lets it evict a pod that is running but not
 * ready, instead of waiting forever on a crash-looping replica.
 */
export function disruptionBudget(name: string, selector: Record<string, string>): Manifest<V1PodDisruptionBudget> {
  return typed<V1PodDisruptionBudget>('policy/v1', 'PodDisruptionBudget', {
    metadata: { name, labels: { ...selector } },
    spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { ...selector } } },
  });
}
