// NetworkPolicies that let kube-prometheus-stack work inside the namespace's default deny (apps/pvcs).
import type { V1LabelSelector } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { PART_OF } from '../../scripts/lib/labels.ts';
import { networkPolicy, OROCOMMERCE_PODS, podsWith, tcp } from '../lib/network.ts';
import { untyped } from '../lib/objects.ts';
import { usedChannels } from './alertmanager.ts';
import { METRICS_PORT_NAME } from './exporters.ts';
import { STACK_FULLNAME, stackEnabled } from './stack.ts';

/** The kubelet's authenticated port, which serves /metrics, /metrics/cadvisor and the volume stats. */
const KUBELET_PORT = 10250;

/**
 * The stack's pods, whatever labels the chart and the operator give them: every pod of the namespace
 * that is not the shop's (the pipeline labels each of those `app.kubernetes.io/part-of: orocommerce`;
 * `NotIn` also matches pods without the key).
 */
export const STACK_PODS: V1LabelSelector = {
  matchExpressions: [{ key: 'app.kubernetes.io/part-of', operator: 'NotIn', values: [PART_OF] }],
};

/** Alertmanager's pods, by the labels prometheus-operator gives them (its `makeSelectorLabels`). */
export const ALERTMANAGER_PODS: V1LabelSelector = { matchLabels: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: STACK_FULLNAME } };

/** The ports the used channels connect to: HTTPS for Slack and PagerDuty, the webhook's and the SMTP relay's own. */
export function receiverPorts(env: Environment): number[] {
  const { webhook, email } = env.monitoring.alerting;
  const ports = usedChannels(env).map((channel) => {
    if (channel === 'webhook') return webhook!.port;
    if (channel === 'email') return Number(email!.smarthost.split(':')[1]);
    return 443;
  });
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Alertmanager's way out to its receivers, only when some class of alert is routed to a channel (DNS is open namespace-wide). */
function alertmanagerEgress(env: Environment): KubernetesObject[] {
  const ports = receiverPorts(env);
  if (ports.length === 0) return [];
  const cidrs = env.monitoring.alerting.egressCidrs ?? env.pvcs.network.external.cidrs;
  if (cidrs.length === 0) return [];
  return [
    untyped(
      networkPolicy('allow-alertmanager-to-receivers', ALERTMANAGER_PODS, {
        egress: [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...ports) }],
      }),
    ),
  ];
}

/**
 * Prometheus, Alertmanager, Grafana, the operator and kube-state-metrics talk to each other freely;
 * Prometheus leaves for the shop's `metrics` ports (admitted there by apps/pvcs) and the kubelets; the
 * operator, Prometheus' service discovery, Grafana's sidecar and kube-state-metrics call the API server;
 * Alertmanager reaches its receivers' ports (`monitoring.alerting`), and nothing when none is configured.
 */
export function stackNetworkPolicies(env: Environment): KubernetesObject[] {
  if (!stackEnabled(env)) return [];
  const prometheus = podsWith(env.pvcs.network.prometheus.podLabels);
  const api = env.pvcs.network.apiServer;
  return [
    networkPolicy('allow-monitoring-stack', STACK_PODS, {
      ingress: [{ from: [{ podSelector: STACK_PODS }] }],
      egress: [{ to: [{ podSelector: STACK_PODS }] }],
    }),
    networkPolicy('allow-prometheus-to-exporters', prometheus, {
      egress: [{ to: [{ podSelector: OROCOMMERCE_PODS }], ports: [{ protocol: 'TCP', port: METRICS_PORT_NAME }] }],
    }),
    networkPolicy('allow-prometheus-to-kubelets', prometheus, {
      egress: [{ to: env.monitoring.stack.kubeletCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(KUBELET_PORT) }],
    }),
    networkPolicy('allow-monitoring-stack-to-api-server', STACK_PODS, {
      egress: [{ to: api.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...api.ports) }],
    }),
  ]
    .map(untyped)
    .concat(alertmanagerEgress(env));
}
