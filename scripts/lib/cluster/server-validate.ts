// `npm run validate -- --server`: a server-side dry-run apply of every rendered object of an environment in wave
// order, so the API server's own validation and admission (Pod Security included) speak; findings in the
// same format as the offline validation.
import type { KubernetesObject } from '../k8s.ts';
import type { Finding, RenderedDoc } from '../validate/types.ts';
import { ClusterError, type Cluster } from './client.ts';
import { applyOrder, type PlannedObject } from './plan.ts';

/** Rule ids of server findings, so `[server-rejected]` reads like the offline `[rule-id]`. */
export const SERVER_RULES = ['server-rejected', 'server-unknown-kind', 'server-namespace-missing', 'server-pod-security'] as const;

/** A pod template of a workload, as a Pod in the same namespace: dry-run creating it runs Pod Security admission. */
export function podFromTemplate(o: KubernetesObject): KubernetesObject | undefined {
  const spec = o.spec as Record<string, any> | undefined;
  const template = o.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : ['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicaSet'].includes(o.kind) ? spec?.template : undefined;
  if (!template) return undefined;
  const podSpec = { ...template.spec };
  // A StatefulSet's claim templates become the pod's volumes; a dry-run Pod needs no real claim.
  for (const claim of (spec?.volumeClaimTemplates ?? []) as { metadata: { name: string } }[]) {
    podSpec.volumes = [...(podSpec.volumes ?? []), { name: claim.metadata.name, emptyDir: {} }];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${o.metadata.name}-dry-run`.slice(0, 63), namespace: o.metadata.namespace, labels: template.metadata?.labels ?? {} },
    spec: podSpec,
  };
}

/** A rejection by validation or admission, as opposed to no cluster or no permission (which abort the run). */
function isRejection(e: unknown): e is ClusterError {
  return e instanceof ClusterError && e.status >= 400 && e.status !== 401 && (e.status !== 403 || /PodSecurity/.test(e.message));
}

function fieldOf(e: ClusterError): string {
  return e.body?.details?.causes?.find((c) => c.field)?.field ?? '';
}

/** Dry-run applies (or, with `dryRun: false`, applies) every document in wave order, dry-run creates each workload's pod, and turns every rejection into a finding. */
export async function validateOnServer(
  cluster: Cluster,
  docs: readonly RenderedDoc[],
  env: string,
  opts: { dryRun?: boolean; onWarning?: (doc: PlannedObject, warning: string) => void } = {},
): Promise<Finding[]> {
  const dryRun = opts.dryRun ?? true;
  let current: PlannedObject | undefined;
  // Warnings (Pod Security's `warn` level, deprecations) are not rejections: reported beside the findings, per object.
  const previous = cluster.onWarning;
  cluster.onWarning = (w) => current && opts.onWarning?.(current, w);
  try {
    return await check();
  } finally {
    cluster.onWarning = previous;
  }

  async function check(): Promise<Finding[]> {
    const findings: Finding[] = [];
    const existing = new Set((await cluster.list<KubernetesObject>('v1', 'Namespace')).map((n) => n.metadata.name));
    const reportedMissing = new Set<string>();
    for (const p of applyOrder(docs, env)) {
      current = p;
      const o = p.object;
      const base = { file: p.file, kind: o.kind, name: o.metadata.name };
      const ns = o.metadata.namespace;
      // A dry run creates nothing, so a namespace rendered in this environment but not yet on the cluster cannot hold the dry-run objects.
      if (ns && !existing.has(ns) && o.kind !== 'Namespace') {
        if (!reportedMissing.has(ns)) {
          reportedMissing.add(ns);
          findings.push({ ...base, path: 'metadata.namespace', message: `namespace ${ns} does not exist on the cluster: objects in it cannot be dry-run until it does (sync the first wave, or npm run dev-secrets creates it for dev)`, rule: 'server-namespace-missing' });
        }
        continue;
      }
      try {
        await cluster.apply(o, { dryRun });
        if (o.kind === 'Namespace' && !dryRun) existing.add(o.metadata.name);
      } catch (e) {
        if (!isRejection(e)) throw e;
        findings.push({ ...base, path: fieldOf(e), message: e.message, rule: e.status === 404 && /does not serve/.test(e.message) ? 'server-unknown-kind' : 'server-rejected' });
        continue;
      }
      const pod = podFromTemplate(o);
      if (!pod) continue;
      try {
        await cluster.create(pod, { dryRun: true });
      } catch (e) {
        if (!isRejection(e)) throw e;
        findings.push({ ...base, path: 'spec.template', message: `its pods would be rejected: ${e.message}`, rule: /PodSecurity/.test(e.message) ? 'server-pod-security' : 'server-rejected' });
      }
    }
    return findings;
  }
}
