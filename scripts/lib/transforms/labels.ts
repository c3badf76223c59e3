// Adds the common app.kubernetes.io labels to every object and pod template, keeping labels a component set.
import { commonLabels } from '../labels.ts';
import type { KubernetesObject } from '../k8s.ts';
import { podTemplateOf } from './pod-templates.ts';
import type { Transform } from './types.ts';

export const addCommonLabels: Transform = (objects, { env, component }) =>
  objects.map((o) => {
    const copy = structuredClone(o) as KubernetesObject;
    const own = copy.metadata.labels ?? {};
    const workload = own['app.kubernetes.io/name'];
    copy.metadata.labels = { ...commonLabels(env, component, workload), ...own };
    const template = podTemplateOf(copy);
    if (template) {
      const podOwn = template.metadata?.labels ?? {};
      template.metadata = { ...template.metadata, labels: { ...commonLabels(env, component, podOwn['app.kubernetes.io/name'] ?? workload), ...podOwn } };
    }
    return copy;
  });
