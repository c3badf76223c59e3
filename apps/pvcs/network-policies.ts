// The namespace-wide NetworkPolicies: default deny plus what every pod or many pods need (DNS, scraping, the API, the outside).
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { networkPolicy, OROCOMMERCE_PODS, podsIn, podsWith, type NetworkPolicy } from '../lib/network.ts';
import type { OroRole } from '../lib/volumes.ts';
import { WAITER_POD_LABELS } from '../lib/waiter.ts';
import { METRICS_PORT_NAME } from '../monitoring/exporters.ts';

/** Roles whose PHP code calls out of the cluster (mail, payment and shipping APIs). */
const CALLING_OUT: readonly OroRole[] = ['php-fpm', 'consumer', 'cron', 'install', 'restore'];

function defaultDeny(): NetworkPolicy {
  return networkPolicy('default-deny', {}, { ingress: [], egress: [] });
}

function dns(): NetworkPolicy {
  const ports = ['UDP', 'TCP'].map((protocol) => ({ protocol, port: 53 }));
  return networkPolicy('allow-dns', {}, { egress: [{ to: [podsIn('kube-system', { 'k8s-app': 'kube-dns' })], ports }] });
}

function prometheusScrape(env: Environment): NetworkPolicy[] {
  if (!env.monitoring.enabled) return [];
  const prometheus = env.pvcs.network.prometheus;
  const from = [podsIn(prometheus.namespace ?? env.destination.namespace, prometheus.podLabels)];
  return [networkPolicy('allow-prometheus-scrape', OROCOMMERCE_PODS, { ingress: [{ from, ports: [{ protocol: 'TCP', port: METRICS_PORT_NAME }] }] })];
}

function apiServer(env: Environment): NetworkPolicy {
  const { cidrs, ports } = env.pvcs.network.apiServer;
  const egress = [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports.map((port) => ({ protocol: 'TCP', port })) }];
  return networkPolicy('allow-api-server', podsWith(WAITER_POD_LABELS), { egress });
}

/** The configured outside ports plus the SMTP relay's, which follows the mailer settings (25, 465, 587 …). */
function externalPorts(env: Environment): number[] {
  const smtp = env.app.mailer.host === undefined ? [] : [env.app.mailer.port];
  return [...new Set([...env.pvcs.network.external.ports, ...smtp])];
}

function external(env: Environment): NetworkPolicy[] {
  const { cidrs } = env.pvcs.network.external;
  const ports = externalPorts(env);
  if (cidrs.length === 0 || ports.length === 0) return [];
  const podSelector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [...CALLING_OUT] }] };
  const egress = [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports.map((port) => ({ protocol: 'TCP', port })) }];
  return [networkPolicy('allow-external-egress', podSelector, { egress })];
}

/**
 * Rendered with the PVCs because wave 0 comes before every pod: no pod of the namespace ever runs
 * unprotected. The edges between workloads are opened by the component that owns the server side.
 * Other pods of the namespace (kube-prometheus-stack when `monitoring.stack.enabled`) are denied too
 * and need allow policies of their own.
 */
export function namespacePolicies(env: Environment): NetworkPolicy[] {
  return [defaultDeny(), dns(), ...prometheusScrape(env), apiServer(env), ...external(env)];
}
