// `npm run status`: reads the environment's Applications and the live objects behind them, then diagnoses.
import type { CoreV1Event, V1Job, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { ClusterError, type Cluster } from './client.ts';
import { diagnose, type AppRow, type Application, type LiveState } from './diagnose.ts';
import { renderedApplications, rootName, type EnvironmentTarget } from './environment.ts';

/** Lines of a failed Job's log shown under it. */
export const LOG_TAIL_LINES = 20;

async function listOrEmpty<T>(cluster: Cluster, apiVersion: string, kind: string, namespace: string): Promise<T[]> {
  try {
    return await cluster.list<T>(apiVersion, kind, namespace);
  } catch (e) {
    if (e instanceof ClusterError && e.status === 404) return [];
    throw e;
  }
}

/** The live Jobs, Pods, PVCs and Events of the namespace, with the log tail of each failed Job's newest pod. */
export async function readLiveState(cluster: Cluster, namespace: string): Promise<LiveState> {
  const [jobs, pods, pvcs, events] = await Promise.all([
    listOrEmpty<V1Job>(cluster, 'batch/v1', 'Job', namespace),
    listOrEmpty<V1Pod>(cluster, 'v1', 'Pod', namespace),
    listOrEmpty<V1PersistentVolumeClaim>(cluster, 'v1', 'PersistentVolumeClaim', namespace),
    listOrEmpty<CoreV1Event>(cluster, 'v1', 'Event', namespace),
  ]);
  const logs: Record<string, string> = {};
  for (const job of jobs.filter((j) => j.status?.conditions?.some((c) => c.type === 'Failed' && c.status === 'True'))) {
    const jobPods = pods.filter((p) => p.metadata?.labels?.['job-name'] === job.metadata?.name);
    for (const pod of jobPods) {
      const container = pod.spec?.containers[0]?.name;
      if (!container) continue;
      const tail = await cluster.logTail(namespace, pod.metadata!.name!, container, LOG_TAIL_LINES).catch((e: unknown) => {
        if (e instanceof ClusterError && e.status >= 400 && e.status !== 401 && e.status !== 403) return `(log unavailable: ${e.message})`;
        throw e;
      });
      // The API answers an empty log (a container that never ran, or wrote nothing) with no content at all.
      logs[`${pod.metadata!.name}/${container}`] = tail === '' ? `(pod ${pod.metadata!.name} has no log: its container never ran or wrote nothing)` : tail;
    }
  }
  return { jobs, pods, pvcs, events, logs };
}

/**
 * Every rendered Application of the environment with its live status (read on `argocd`, Argo CD's cluster), and
 * the live objects behind them (read on `cluster`, the workload cluster; the same one unless --argocd-context says
 * otherwise); an Application missing from the cluster is reported as such.
 */
export async function collectStatus(cluster: Cluster, target: EnvironmentTarget, argocd: Cluster = cluster): Promise<AppRow[]> {
  const apps: Application[] = [];
  for (const doc of renderedApplications(target)) {
    const live = await argocd.get<Application>('argoproj.io/v1alpha1', 'Application', doc.object.metadata.namespace ?? target.argocdNamespace, doc.object.metadata.name);
    apps.push(live ?? { ...doc.object, status: { sync: { status: 'Missing' }, health: { status: 'Missing', message: `not on the cluster: run npm run bootstrap -- --env ${target.env.name}` } } });
  }
  return diagnose(apps, rootName(target), await readLiveState(cluster, target.namespace));
}

/** Whether the whole environment is Synced and Healthy (status exits 0 only then). */
export function allReady(rows: readonly AppRow[]): boolean {
  return rows.every((r) => r.sync === 'Synced' && r.health === 'Healthy');
}
