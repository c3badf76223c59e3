// Finds the pod template inside a workload, wherever its kind keeps it.
import type { KubernetesObject } from '../k8s.ts';

type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };

/** The pod template of a Deployment/StatefulSet/DaemonSet/ReplicaSet/Job, or a CronJob's job template; else undefined. */
export function podTemplateOf(o: KubernetesObject): Template | undefined {
  const spec = o.spec as { template?: Template; jobTemplate?: { spec?: { template?: Template } } } | undefined;
  if (!spec) return undefined;
  if (o.kind === 'CronJob') return spec.jobTemplate?.spec?.template;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) return spec.template;
  return undefined;
}
