// Pod templates and containers of every workload kind, with the paths findings point at.
import { POD_TEMPLATE_PATHS } from '../../lib/transforms/pod-templates.ts';
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { arr, lookup, namespaceOf, ofKind, rec, str, strings, type Json } from './access.ts';

/** Kinds whose pods are meant to run until stopped, as opposed to run to completion. */
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'];

export interface PodTemplate {
  doc: RenderedDoc;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Json;
  /** Path of the pod spec, e.g. `spec.template.spec`. */
  specPath: string;
}

export interface ContainerRef {
  container: Json;
  name: string;
  path: string;
  field: 'containers' | 'initContainers' | 'ephemeralContainers';
  /** Regular containers and native sidecars (`initContainers` with `restartPolicy: Always`) run as long as the pod. */
  longRunning: boolean;
}

function at(root: unknown, path: string): unknown {
  return path === '' ? root : path.split('.').reduce<unknown>((o, k) => rec(o)[k], root);
}

function podTemplate(doc: RenderedDoc): PodTemplate | undefined {
  const path = POD_TEMPLATE_PATHS[doc.object.kind];
  if (path === undefined) return undefined;
  const template = rec(at(doc.object, path));
  const meta = rec(template.metadata);
  const prefix = path === '' ? '' : `${path}.`;
  return {
    doc,
    namespace: namespaceOf(doc),
    labels: strings(meta.labels),
    annotations: strings(meta.annotations),
    spec: rec(template.spec),
    specPath: `${prefix}spec`,
  };
}

export function podTemplates(docs: readonly RenderedDoc[]): PodTemplate[] {
  return docs.flatMap((d) => podTemplate(d) ?? []);
}

export function containers(t: PodTemplate): ContainerRef[] {
  const fields = ['containers', 'initContainers', 'ephemeralContainers'] as const;
  return fields.flatMap((field) =>
    arr(t.spec[field]).map((c, i) => {
      const container = rec(c);
      const longRunning = field === 'containers' || (field === 'initContainers' && container.restartPolicy === 'Always');
      return { container, name: str(container.name) ?? `#${i}`, path: `${t.specPath}.${field}[${i}]`, field, longRunning };
    }),
  );
}

/** The HorizontalPodAutoscaler that scales `doc`, if any. */
export function hpaFor(doc: RenderedDoc, docs: readonly RenderedDoc[]): RenderedDoc | undefined {
  return ofKind(docs, 'HorizontalPodAutoscaler').find((h) => {
    const target = rec(rec(h.object.spec).scaleTargetRef);
    return target.kind === doc.object.kind && target.name === doc.object.metadata.name && namespaceOf(h) === namespaceOf(doc);
  });
}

/** The workload an HPA scales, if rendered. */
export function hpaTarget(hpa: RenderedDoc, docs: readonly RenderedDoc[]): RenderedDoc | undefined {
  const target = rec(rec(hpa.object.spec).scaleTargetRef);
  const kind = str(target.kind);
  const name = str(target.name);
  return kind && name ? lookup(docs, kind, namespaceOf(hpa), name) : undefined;
}

/** Pods a workload keeps in steady state: the HPA's floor when one scales it, else `spec.replicas` (default 1). */
export function steadyReplicas(doc: RenderedDoc, docs: readonly RenderedDoc[]): number {
  const hpa = hpaFor(doc, docs);
  const replicas = hpa ? rec(hpa.object.spec).minReplicas : rec(doc.object.spec).replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function surges(strategy: Json): boolean {
  if ((str(strategy.type) ?? 'RollingUpdate') !== 'RollingUpdate') return false;
  const maxSurge = rec(strategy.rollingUpdate).maxSurge ?? '25%';
  return maxSurge !== 0 && maxSurge !== '0%';
}

/** Why a workload can run more than one pod at a time, or `undefined` when it never does. */
export function severalPodsReason(doc: RenderedDoc, docs: readonly RenderedDoc[]): string | undefined {
  const spec = rec(doc.object.spec);
  const kind = doc.object.kind;
  if (kind === 'DaemonSet') return 'a DaemonSet runs one pod per node';
  if (kind === 'CronJob') {
    const policy = str(spec.concurrencyPolicy) ?? 'Allow';
    if (policy === 'Allow') return 'concurrencyPolicy Allow lets runs overlap';
    const parallelism = rec(rec(spec.jobTemplate).spec).parallelism;
    return typeof parallelism === 'number' && parallelism > 1 ? `parallelism is ${parallelism}` : undefined;
  }
  if (kind === 'Job') return typeof spec.parallelism === 'number' && spec.parallelism > 1 ? `parallelism is ${spec.parallelism}` : undefined;
  if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(kind)) return undefined;
  if (hpaFor(doc, docs)) return 'an HPA scales it';
  if (typeof spec.replicas === 'number' && spec.replicas > 1) return `replicas is ${spec.replicas}`;
  if (kind === 'Deployment' && surges(rec(spec.strategy))) return 'its RollingUpdate strategy surges a second pod (use Recreate)';
  return undefined;
}
