// No two environments claim one host on one cluster, whichever way each is exposed: the Gateway or controller would pick one of them.
import { finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { namespaceOf, ofKind, rec, str } from './lib/access.ts';
import { claimedHosts, hostsOverlap } from './lib/routes.ts';

const ID = 'host-unique-per-cluster';

/** The cluster an environment's namespace lives on: the destination server of the Applications that deploy into it. */
function clusterOf(docs: readonly RenderedDoc[], namespace: string): string | undefined {
  return ofKind(docs, 'Application')
    .map((a) => rec(rec(a.object.spec).destination))
    .find((d) => str(d.namespace) === namespace)?.server as string | undefined;
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'Two environments deployed to the same cluster never claim the same host (HTTPRoute hostnames, Ingress hosts)',
  check: (ctx) => {
    const others = (ctx.fleet ?? []).filter((d) => d.env !== ctx.env && d.env !== '');
    return claimedHosts(ctx.docs).flatMap((mine) => {
      const cluster = clusterOf(ctx.docs, namespaceOf(mine.doc));
      // Without an Application the cluster is unknown; application-path-exists and friends report that environment.
      if (cluster === undefined) return [];
      const rivals = claimedHosts(others).filter((theirs) => {
        const envDocs = others.filter((d) => d.env === theirs.doc.env);
        return clusterOf(envDocs, namespaceOf(theirs.doc)) === cluster && hostsOverlap(mine.host, theirs.host);
      });
      const envs = [...new Set(rivals.map((r) => r.doc.env))].sort();
      return envs.length === 0
        ? []
        : [finding(mine.doc, ID, mine.path, `${mine.host} is also claimed on cluster ${cluster} by environment ${envs.join(', ')}; give each environment its own domain`)];
    });
  },
};
