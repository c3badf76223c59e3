// What an object change does on the cluster: restarts pods, changes config, scales, or touches metadata only.
import { parse } from 'yaml';

/**
 * `restart`: a long-running workload's pod template changed, so Kubernetes replaces its pods.
 * `scaling`: only replica counts or autoscaling bounds. `metadata`: only labels or annotations of the
 * object itself. `config`: anything else. Added and removed objects are their own class.
 */
export type ChangeClass = 'restart' | 'config' | 'scaling' | 'metadata' | 'added' | 'removed';

export const CLASS_ORDER: readonly ChangeClass[] = ['restart', 'config', 'scaling', 'metadata', 'added', 'removed'];

/** Kinds whose pods run until replaced: a new pod template rolls them. Jobs and CronJobs only affect their next run. */
const ROLLING_KINDS: Readonly<Record<string, string>> = { Deployment: 'spec.template', StatefulSet: 'spec.template', DaemonSet: 'spec.template' };

const SCALING_PATHS = new Set(['spec.replicas', 'spec.minReplicas', 'spec.maxReplicas']);

export interface Classified {
  class: ChangeClass;
  /** True when only `metadata.labels` changed (the version label moving on an image bump). */
  labelsOnly: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Dotted paths of every value that differs; lists are compared whole. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

const under = (path: string, root: string) => path === root || path.startsWith(`${root}.`);

/** Classifies a change of one rendered file from its two contents (header already stripped). */
export function classifyChange(change: 'added' | 'removed' | 'changed', before: string, after: string): Classified {
  if (change !== 'changed') return { class: change, labelsOnly: false };
  let a: unknown;
  let b: unknown;
  try {
    a = parse(before);
    b = parse(after);
  } catch {
    return { class: 'config', labelsOnly: false };
  }
  const paths = changedPaths(a, b);
  const kind = isObject(b) && typeof b.kind === 'string' ? b.kind : '';
  const template = ROLLING_KINDS[kind];
  if (template && paths.some((p) => under(p, template))) return { class: 'restart', labelsOnly: false };
  if (paths.length > 0 && paths.every((p) => SCALING_PATHS.has(p))) return { class: 'scaling', labelsOnly: false };
  if (paths.length > 0 && paths.every((p) => under(p, 'metadata.labels') || under(p, 'metadata.annotations'))) {
    return { class: 'metadata', labelsOnly: paths.every((p) => under(p, 'metadata.labels')) };
  }
  return { class: 'config', labelsOnly: false };
}
