// kube-prometheus-stack as a pinned Helm source: its values, and the kinds it creates for the AppProject.
import type { ApplicationSource } from '../../scripts/lib/k8s.ts';
import type { Resources } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { alertmanagerConfig, alertmanagerSecretNames } from './alertmanager.ts';

export const STACK_REPO_URL = 'https://prometheus-community.github.io/helm-charts';
export const STACK_CHART = 'kube-prometheus-stack';

/** The seed installed the stack as `monitoring`; Grafana takes the release name: Service `monitoring-grafana`. */
export const STACK_RELEASE_NAME = 'monitoring';

/**
 * Prefix of every name the stack itself owns. The seed's `prometheus-prometheus` Service (port 9090) is
 * `<fullname>-prometheus`; with `cleanPrometheusOperatorObjectNames` the Prometheus and Alertmanager
 * custom resources are named `<fullname>` too, so their StatefulSets become the seed's
 * `prometheus-prometheus` and `alertmanager-prometheus`. The cluster-scoped names (CRDs, ClusterRoles
 * `prometheus-operator` and `prometheus-prometheus`) are therefore the same in every environment: one
 * cluster runs the stack for one environment, and Argo CD's FailOnSharedResource stops a second.
 */
export const STACK_FULLNAME = 'prometheus';

/** Labels the stack's Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by; the chart puts them on its own. */
export const STACK_SELECTOR_LABELS: Readonly<Record<string, string>> = { release: STACK_RELEASE_NAME };

/** Grafana's sidecar loads every ConfigMap carrying this label as a dashboard (the chart's defaults, set explicitly). */
const DASHBOARD_LABEL_KEY = 'grafana_dashboard';
const DASHBOARD_LABEL_VALUE = '1';
export const DASHBOARD_LABEL: Readonly<Record<string, string>> = { [DASHBOARD_LABEL_KEY]: DASHBOARD_LABEL_VALUE };

/** Datasource uid the chart provisions for its Prometheus (`grafana.sidecar.datasources.uid`). */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

/**
 * Kinds the chart renders with the values below (chart 92.x), read from its templates: the operator's
 * CRDs, and the ClusterRoles/Bindings of the operator and of Prometheus (which reads kubelet and endpoint
 * targets cluster-wide). Webhooks, node-exporter and the control-plane scrapers are switched off, and
 * Grafana and kube-state-metrics are namespaced, so none of their cluster kinds appear.
 * To refresh after a chart bump, render the source and list what comes out:
 *   helm template monitoring kube-prometheus-stack --repo <STACK_REPO_URL> --version <chartVersion> \
 *     --namespace <ns> --include-crds -f <valuesObject as YAML> | yq -N '.apiVersion + " " + .kind' | sort -u
 * and split the result by scope (`kubectl api-resources --namespaced=false`).
 */
const CLUSTER_KINDS = [
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
];

/** Namespaced kinds of the same render: operator, Prometheus, Alertmanager, Grafana, kube-state-metrics and their monitors and rules. */
const NAMESPACED_KINDS = [
  '/ConfigMap',
  '/Secret',
  '/Service',
  '/ServiceAccount',
  'apps/Deployment',
  'monitoring.coreos.com/Alertmanager',
  'monitoring.coreos.com/Prometheus',
  'monitoring.coreos.com/PrometheusRule',
  'monitoring.coreos.com/ServiceMonitor',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
];

/** The stack is rendered only where monitoring is on and the cluster does not bring its own Prometheus. */
export function stackEnabled(env: Environment): boolean {
  return env.monitoring.enabled && env.monitoring.stack.enabled;
}

export function stackClusterKinds(env: Environment): string[] {
  return stackEnabled(env) ? [...CLUSTER_KINDS] : [];
}

export function stackNamespacedKinds(env: Environment): string[] {
  return stackEnabled(env) ? [...NAMESPACED_KINDS] : [];
}

/** The chart's `resources` shape, copied so the values object never aliases the environment. */
function chartResources(r: Resources): Record<string, unknown> {
  return { requests: { ...r.requests }, limits: { ...r.limits } };
}

/** Default rule groups that need scrapers this values file switches off; they would only ever report missing targets. */
const RULE_GROUPS_WITHOUT_TARGETS = [
  'etcd',
  'kubeApiserverAvailability',
  'kubeApiserverBurnrate',
  'kubeApiserverHistogram',
  'kubeApiserverSlos',
  'kubeControllerManager',
  'kubePrometheusNodeRecording',
  'kubeProxy',
  'kubeSchedulerAlerting',
  'kubeSchedulerRecording',
  'kubernetesResources',
  'node',
  'nodeExporterAlerting',
  'nodeExporterRecording',
  'windows',
];

/** The chart's alerts that rules.ts raises again with OroCommerce runbooks; both would page for one cause. */
const REPLACED_DEFAULT_ALERTS = ['KubeHpaMaxedOut', 'KubeJobFailed', 'KubePodCrashLooping', 'KubePodNotReady'];

/** Only the namespaced objects OroCommerce's rules and dashboard read (kube-state-metrics runs on a Role, not a ClusterRole). */
const KUBE_STATE_METRICS_COLLECTORS = [
  'cronjobs',
  'deployments',
  'horizontalpodautoscalers',
  'jobs',
  'persistentvolumeclaims',
  'pods',
  'replicasets',
  'statefulsets',
];

/**
 * Helm values: one stack per environment that watches only its own namespace. The chart pins its own
 * images (operator, Prometheus, Alertmanager, Grafana, kube-state-metrics), so none are set here.
 */
export function stackValues(env: Environment): Record<string, unknown> {
  const ns = env.destination.namespace;
  const { stack } = env.monitoring;
  const selector = { matchLabels: { ...STACK_SELECTOR_LABELS } };
  const storage = stack.prometheus.storage;
  return {
    fullnameOverride: STACK_FULLNAME,
    cleanPrometheusOperatorObjectNames: true,
    defaultRules: {
      appNamespacesTarget: ns,
      rules: Object.fromEntries(RULE_GROUPS_WITHOUT_TARGETS.map((group) => [group, false])),
      disabled: Object.fromEntries(REPLACED_DEFAULT_ALERTS.map((alert) => [alert, true])),
    },
    // Control-plane Services live in kube-system, which this environment's AppProject may not write,
    // and node-exporter is a privileged hostNetwork DaemonSet; the cluster's own monitoring owns those.
    kubeApiServer: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    coreDns: { enabled: false },
    nodeExporter: { enabled: false },
    prometheusOperator: {
      namespaces: { releaseNamespace: true },
      // The webhooks are cluster-scoped and need a certificate-patching hook Job; the operator's TLS
      // listener mounts the Secret that Job writes, so it goes off with them.
      admissionWebhooks: { enabled: false },
      tls: { enabled: false },
    },
    prometheus: {
      prometheusSpec: {
        retention: stack.retention,
        resources: chartResources(stack.prometheus.resources),
        serviceMonitorSelector: selector,
        podMonitorSelector: selector,
        ruleSelector: selector,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              accessModes: [storage.accessMode],
              ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
              resources: { requests: { storage: storage.size } },
            },
          },
        },
      },
    },
    // The whole configuration (alertmanager.ts), replacing the chart's, which routes everything to `null`;
    // the receivers' credentials are files of the mounted Secret, never values here.
    alertmanager: {
      config: alertmanagerConfig(env),
      alertmanagerSpec: {
        resources: chartResources(stack.alertmanager.resources),
        ...(alertmanagerSecretNames(env).length > 0 ? { secrets: alertmanagerSecretNames(env) } : {}),
      },
    },
    grafana: {
      admin: {
        existingSecret: stack.grafana.adminSecret.name,
        userKey: stack.grafana.adminSecret.userKey,
        passwordKey: stack.grafana.adminSecret.passwordKey,
      },
      // A namespaced Role instead of the chart's ClusterRole: the sidecar then reads ConfigMaps and
      // Secrets of this namespace only.
      rbac: { namespaced: true },
      resources: chartResources(stack.grafana.resources),
      sidecar: { dashboards: { enabled: true, label: DASHBOARD_LABEL_KEY, labelValue: DASHBOARD_LABEL_VALUE, searchNamespace: ns } },
      testFramework: { enabled: false },
    },
    'kube-state-metrics': {
      namespaces: ns,
      rbac: { useClusterRole: false },
      collectors: [...KUBE_STATE_METRICS_COLLECTORS],
    },
  };
}

/** The Helm source Argo CD syncs beside the rendered folder; empty when the stack is off. */
export function stackSources(env: Environment): ApplicationSource[] {
  if (!stackEnabled(env)) return [];
  return [
    {
      repoURL: STACK_REPO_URL,
      chart: STACK_CHART,
      targetRevision: env.monitoring.stack.chartVersion,
      helm: { releaseName: STACK_RELEASE_NAME, valuesObject: stackValues(env) },
    },
  ];
}
