// NetworkPolicy builders: one allow per edge of the traffic graph, on top of the namespace's default deny (D-07).
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyEgressRule, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1NetworkPolicySpec } from '@kubernetes/client-node';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { PART_OF } from '../../scripts/lib/labels.ts';

/**
 * client-node names the ingress rule's `from` field `_from` (its serializer renames it); this pipeline
 * writes objects as they are, so the rule is typed with the API's real field name.
 */
export interface IngressRule {
  from?: V1NetworkPolicyPeer[];
  ports?: V1NetworkPolicyPort[];
}

/** A NetworkPolicy whose ingress rules use the API's `from`. */
export type NetworkPolicy = Manifest<Omit<V1NetworkPolicy, 'spec'> & { spec: Omit<V1NetworkPolicySpec, 'ingress'> & { ingress?: IngressRule[] } }>;

/** Every pod of the shop (the pipeline labels all of them), as in seed 000's database policy. */
export const OROCOMMERCE_PODS: V1LabelSelector = { matchLabels: { 'app.kubernetes.io/part-of': PART_OF } };

export function podsWith(labels: Record<string, string>): V1LabelSelector {
  return { matchLabels: { ...labels } };
}

/** Pods of another namespace, by the label Kubernetes puts on every Namespace. */
export function podsIn(namespace: string, labels: Record<string, string>): V1NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: podsWith(labels) };
}

export function tcp(...ports: readonly number[]): { protocol: string; port: number }[] {
  return ports.map((port) => ({ protocol: 'TCP', port }));
}

/** A policy for the pods `podSelector` selects; each direction given is restricted to its rules. */
export function networkPolicy(
  name: string,
  podSelector: V1LabelSelector,
  rules: { ingress?: IngressRule[]; egress?: V1NetworkPolicyEgressRule[] },
): NetworkPolicy {
  const policyTypes = [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec: { podSelector, policyTypes, ...rules } };
}

/**
 * The two policies of one edge `clients → server:port`: the server admits the clients, and the
 * clients may leave towards the server (under a default deny both directions must be opened).
 */
export function edge(
  name: string,
  clients: V1LabelSelector,
  server: V1LabelSelector,
  ports: readonly number[],
): NetworkPolicy[] {
  return [
    networkPolicy(`allow-to-${name}`, server, { ingress: [{ from: [{ podSelector: clients }], ports: tcp(...ports) }] }),
    networkPolicy(`allow-egress-to-${name}`, clients, { egress: [{ to: [{ podSelector: server }], ports: tcp(...ports) }] }),
  ];
}
