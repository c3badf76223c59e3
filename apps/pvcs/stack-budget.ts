// kube-prometheus-stack's pods and volume claims in this namespace, read from the chart values this repository sets.
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { STACK_FULLNAME, STACK_RELEASE_NAME, stackEnabled, stackValues } from '../monitoring/stack.ts';
import { rolloutSurge, type Budget, type ClaimBudget, type PodBudget } from './workload-budget.ts';

/** A path into the chart values. */
type ValuesPath = readonly string[];

interface ChartContainer {
  name: string;
  /** Where the values set its resources; when they do not, the chart sets none and the LimitRange default applies. */
  resources: ValuesPath;
}

interface ChartPod {
  owner: string;
  /** Deployments roll out with the default surge; the operator's StatefulSets replace pods in place. */
  controller: 'Deployment' | 'StatefulSet';
  /** Where the values set the replica count; the chart runs one otherwise. */
  replicas?: ValuesPath;
  initContainers?: ChartContainer[];
  containers: ChartContainer[];
  /** Where the values set the size of each replica's volume claim; no claim otherwise. */
  storage?: ValuesPath;
}

/** The operator gives its config reloader (init container and sidecar) no resources unless these values set them. */
const RELOADER: ValuesPath = ['prometheusOperator', 'prometheusConfigReloader', 'resources'];

/**
 * The pods chart 92.x runs with stackValues (apps/monitoring/stack.ts): its own and its Grafana and
 * kube-state-metrics subcharts' Deployments, and the StatefulSets the operator makes of the Prometheus
 * and Alertmanager resources; node-exporter, the webhooks' Jobs and Grafana's test pod are switched off
 * there. After a chart bump, compare with `helm template` (same command as in stack.ts) and with the
 * operator's StatefulSets in a cluster.
 */
const CHART_PODS: readonly ChartPod[] = [
  { owner: `Deployment/${STACK_FULLNAME}-operator`, controller: 'Deployment', containers: [{ name: 'kube-prometheus-stack', resources: ['prometheusOperator', 'resources'] }] },
  {
    owner: `Deployment/${STACK_RELEASE_NAME}-kube-state-metrics`,
    controller: 'Deployment',
    containers: [{ name: 'kube-state-metrics', resources: ['kube-state-metrics', 'resources'] }],
  },
  {
    owner: `Deployment/${STACK_RELEASE_NAME}-grafana`,
    controller: 'Deployment',
    containers: [
      { name: 'grafana-sc-dashboard', resources: ['grafana', 'sidecar', 'resources'] },
      { name: 'grafana-sc-datasources', resources: ['grafana', 'sidecar', 'resources'] },
      { name: 'grafana', resources: ['grafana', 'resources'] },
    ],
  },
  {
    owner: `StatefulSet/prometheus-${STACK_FULLNAME}`,
    controller: 'StatefulSet',
    replicas: ['prometheus', 'prometheusSpec', 'replicas'],
    initContainers: [{ name: 'init-config-reloader', resources: RELOADER }],
    containers: [
      { name: 'prometheus', resources: ['prometheus', 'prometheusSpec', 'resources'] },
      { name: 'config-reloader', resources: RELOADER },
    ],
    storage: ['prometheus', 'prometheusSpec', 'storageSpec', 'volumeClaimTemplate', 'spec', 'resources', 'requests', 'storage'],
  },
  {
    owner: `StatefulSet/alertmanager-${STACK_FULLNAME}`,
    controller: 'StatefulSet',
    replicas: ['alertmanager', 'alertmanagerSpec', 'replicas'],
    initContainers: [{ name: 'init-config-reloader', resources: RELOADER }],
    containers: [
      { name: 'alertmanager', resources: ['alertmanager', 'alertmanagerSpec', 'resources'] },
      { name: 'config-reloader', resources: RELOADER },
    ],
    storage: ['alertmanager', 'alertmanagerSpec', 'storage', 'volumeClaimTemplate', 'spec', 'resources', 'requests', 'storage'],
  },
];

function valueAt(values: unknown, path: ValuesPath): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), values);
}

function chartPod(pod: ChartPod, values: Record<string, unknown>): { pods: PodBudget; claims: ClaimBudget[] } {
  const container = (c: ChartContainer) => ({ name: c.name, resources: valueAt(values, c.resources) as V1ResourceRequirements | undefined });
  const replicas = pod.replicas ? ((valueAt(values, pod.replicas) as number | undefined) ?? 1) : 1;
  const surge = pod.controller === 'Deployment' ? rolloutSurge(undefined, replicas) : 0;
  const storage = pod.storage ? (valueAt(values, pod.storage) as string | undefined) : undefined;
  return {
    pods: { owner: pod.owner, pods: replicas + surge, pod: { initContainers: pod.initContainers?.map(container), containers: pod.containers.map(container) } },
    claims: storage === undefined ? [] : [{ owner: pod.owner, claims: replicas, storage }],
  };
}

/** Nothing when the stack is off or installed elsewhere (`monitoring.stack.enabled: false`). */
export function stackBudget(env: Environment): Budget {
  if (!stackEnabled(env)) return { pods: [], claims: [] };
  const values = stackValues(env);
  const pods = CHART_PODS.map((p) => chartPod(p, values));
  return { pods: pods.map((p) => p.pods), claims: pods.flatMap((p) => p.claims) };
}
