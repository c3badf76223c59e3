// `npm run bootstrap`: what `kubectl apply --server-side --field-manager=orocommerce-gitops -k .` does, for one
// environment: the argocd-cm health checks, the AppProject and the root Application, applied server-side.
import { ClusterError, type Cluster } from './client.ts';
import { bootstrapObjects } from './plan.ts';
import type { EnvironmentTarget } from './environment.ts';

/** The Argo CD kinds bootstrap applies; without their CRDs there is no Argo CD to bootstrap. */
export const ARGO_KINDS = [
  ['argoproj.io/v1alpha1', 'AppProject'],
  ['argoproj.io/v1alpha1', 'Application'],
] as const;

/** One applied object and what happened to it (as kubectl apply reports it). */
export interface Applied {
  kind: string;
  name: string;
  namespace: string;
  result: 'created' | 'configured' | 'unchanged';
  dryRun: boolean;
}

function resultOf(before: { metadata?: { resourceVersion?: string } } | undefined, after: { metadata?: { resourceVersion?: string } }): Applied['result'] {
  return before === undefined ? 'created' : before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
}

/** `Kind/name (namespace): result`, `(dry run)` appended under --dry-run. */
export function appliedLine(a: Applied): string {
  return `${a.kind}/${a.name} (${a.namespace}): ${a.result}${a.dryRun ? ' (dry run)' : ''}`;
}

/** Refuses with one line when Argo CD's CRDs or its namespace are missing, then applies the three objects in order. */
export async function bootstrap(cluster: Cluster, target: EnvironmentTarget, opts: { dryRun: boolean }): Promise<Applied[]> {
  const missing: string[] = [];
  for (const [apiVersion, kind] of ARGO_KINDS) if (!(await cluster.serves(apiVersion, kind))) missing.push(kind);
  if (missing.length > 0) {
    throw new ClusterError(`Argo CD is not installed on the cluster at ${cluster.server}: the API serves no argoproj.io/v1alpha1 ${missing.join(', ')} (install Argo CD first, https://argo-cd.readthedocs.io/en/stable/getting_started/)`, 404);
  }
  const namespace = target.argocdNamespace;
  if (!(await cluster.get('v1', 'Namespace', undefined, namespace))) {
    throw new ClusterError(`namespace ${namespace} does not exist on the cluster at ${cluster.server}: install Argo CD there, or set argocd.namespace in environments/${target.env.name}.yaml`, 404);
  }
  const applied: Applied[] = [];
  for (const doc of bootstrapObjects(target.docs, target.env.name)) {
    const o = doc.object;
    const before = await cluster.get<typeof o>(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    const after = await cluster.apply<typeof o>(o, { dryRun: opts.dryRun });
    applied.push({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace ?? '', result: resultOf(before, after), dryRun: opts.dryRun });
  }
  return applied;
}
