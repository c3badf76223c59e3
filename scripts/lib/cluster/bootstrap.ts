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

export interface BootstrapResult {
  /** `Kind/name (namespace)` and what happened: `created`, `configured`, `unchanged` (with --dry-run: `(dry run)`). */
  lines: string[];
}

function describe(before: { metadata?: { resourceVersion?: string } } | undefined, after: { metadata?: { resourceVersion?: string } }, dryRun: boolean): string {
  const verb = before === undefined ? 'created' : before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
  return dryRun ? `${verb} (dry run)` : verb;
}

/** Refuses with one line when Argo CD's CRDs or its namespace are missing, then applies the three objects in order. */
export async function bootstrap(cluster: Cluster, target: EnvironmentTarget, opts: { dryRun: boolean }): Promise<BootstrapResult> {
  const missing: string[] = [];
  for (const [apiVersion, kind] of ARGO_KINDS) if (!(await cluster.serves(apiVersion, kind))) missing.push(kind);
  if (missing.length > 0) {
    throw new ClusterError(`Argo CD is not installed on the cluster at ${cluster.server}: the API serves no argoproj.io/v1alpha1 ${missing.join(', ')} (install Argo CD first, https://argo-cd.readthedocs.io/en/stable/getting_started/)`, 404);
  }
  const namespace = target.argocdNamespace;
  if (!(await cluster.get('v1', 'Namespace', undefined, namespace))) {
    throw new ClusterError(`namespace ${namespace} does not exist on the cluster at ${cluster.server}: install Argo CD there, or set argocd.namespace in environments/${target.env.name}.yaml`, 404);
  }
  const lines: string[] = [];
  for (const doc of bootstrapObjects(target.docs, target.env.name)) {
    const o = doc.object;
    const before = await cluster.get<typeof o>(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);
    const after = await cluster.apply<typeof o>(o, { dryRun: opts.dryRun });
    lines.push(`${o.kind}/${o.metadata.name} (${o.metadata.namespace ?? 'cluster'}): ${describe(before, after, opts.dryRun)}`);
  }
  return { lines };
}
