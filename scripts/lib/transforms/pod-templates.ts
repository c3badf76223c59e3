// Where each workload kind keeps its pod template: one table for the transforms and the validation rules.
import type { KubernetesObject } from '../k8s.ts';

type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };

/** Dotted path of the pod template per kind (`''`: the object is the pod). */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, string>> = {
  Deployment: 'spec.template',
  StatefulSet: 'spec.template',
  DaemonSet: 'spec.template',
  ReplicaSet: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
  Pod: '',
};

/** The pod template of a workload (the object itself for a Pod), or undefined for other kinds. */
export function podTemplateOf(o: KubernetesObject): Template | undefined {
  const path = POD_TEMPLATE_PATHS[o.kind];
  if (path === undefined) return undefined;
  const found = path === '' ? o : path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], o);
  return found as Template | undefined;
}
