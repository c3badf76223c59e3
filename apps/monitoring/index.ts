// The monitoring component: exporters, ServiceMonitors, alert rules, the dashboard and kube-prometheus-stack.
import type { Component } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { WAVES } from '../waves.ts';
import { alertmanagerSecret } from './alertmanager.ts';
import { dashboardConfigMap } from './dashboard.ts';
import { grafanaAdminSecret } from './grafana-admin.ts';
import { stackNetworkPolicies } from './network.ts';
import { postgresExporter } from './postgres-exporter.ts';
import { prometheusRule } from './rules.ts';
import { serviceMonitors } from './service-monitors.ts';
import { stackClusterKinds, stackNamespacedKinds, stackSources } from './stack.ts';

function render(env: Environment): KubernetesObject[] {
  if (!env.monitoring.enabled) return [];
  return [
    ...postgresExporter(env),
    ...serviceMonitors(env),
    prometheusRule(env),
    dashboardConfigMap(env),
    ...grafanaAdminSecret(env),
    ...alertmanagerSecret(env),
    ...stackNetworkPolicies(env),
  ];
}

export const component: Component = {
  name: 'monitoring',
  wave: WAVES.monitoring,
  description: 'Prometheus, Grafana and Alertmanager (kube-prometheus-stack), exporters, ServiceMonitors, alerts and the OroCommerce dashboard',
  render,
  extraSources: stackSources,
  extraClusterKinds: stackClusterKinds,
  extraNamespacedKinds: stackNamespacedKinds,
};
