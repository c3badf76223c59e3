// The one cluster call of `npm run restore` and `npm run clone`: create the restore Job, with kubectl's --context and --kubeconfig.
import type { V1Job } from '@kubernetes/client-node';

export interface ClusterTarget {
  /** kubectl's --context: a context of the kubeconfig (its current context when absent). */
  context?: string;
  /** kubectl's --kubeconfig: the file (KUBECONFIG or ~/.kube/config when absent). */
  kubeconfig?: string;
}

/**
 * Creates the Job in its namespace and returns its name. Kept to one small function so the shared cluster layer
 * (scripts/lib/cluster) can replace it without touching the CLIs. client-node is loaded on demand: only these two
 * CLIs need it, never the render.
 */
export async function createJob(job: V1Job, target: ClusterTarget): Promise<string> {
  const { BatchV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (target.kubeconfig) kc.loadFromFile(target.kubeconfig);
  else kc.loadFromDefault();
  if (target.context) kc.setCurrentContext(target.context);
  const namespace = job.metadata?.namespace;
  if (!namespace) throw new Error('the restore Job has no namespace');
  const created = await kc.makeApiClient(BatchV1Api).createNamespacedJob({ namespace, body: job });
  return created.metadata?.name ?? '';
}
