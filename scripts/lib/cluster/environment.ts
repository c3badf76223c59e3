// Loads what a cluster command needs about one environment: its settings and its committed rendered/ objects.
import { UsageError } from '../cli.ts';
import { loadEnvironment } from '../environment/load.ts';
import type { Environment } from '../environment/schema.ts';
import { loadRendered } from '../validate/load-rendered.ts';
import type { RenderedDoc } from '../validate/types.ts';

export interface EnvironmentTarget {
  env: Environment;
  /** Every rendered document: the environment's own and the shared ones (rendered/argocd). */
  docs: RenderedDoc[];
  /** The workload namespace: -n, or the environment's destination.namespace. */
  namespace: string;
  /** Where the environment's Applications live on Argo CD's cluster. */
  argocdNamespace: string;
}

export async function loadTarget(root: string, name: string, namespace?: string): Promise<EnvironmentTarget> {
  const env = await loadEnvironment(root, name);
  const loaded = loadRendered(root);
  if (!loaded.docs.some((d) => d.env === name)) throw new UsageError(`rendered/${name}/ holds nothing: run npm run render -- --env ${name} first`);
  return { env, docs: loaded.docs, namespace: namespace ?? env.destination.namespace, argocdNamespace: env.argocd.namespace };
}

/** The environment's Applications as rendered: the root (bootstrap/) and one child per component (apps/). */
export function renderedApplications(t: EnvironmentTarget): RenderedDoc[] {
  return t.docs.filter((d) => d.env === t.env.name && d.object.kind === 'Application' && (d.component === 'bootstrap' || d.component === 'apps'));
}

/** The root Application's name: `orocommerce-<env>`. */
export function rootName(t: EnvironmentTarget): string {
  return t.docs.find((d) => d.env === t.env.name && d.component === 'bootstrap' && d.object.kind === 'Application')?.object.metadata.name ?? `orocommerce-${t.env.name}`;
}
