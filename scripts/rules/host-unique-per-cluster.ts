// No two environments claim one host on one cluster, whichever way each is exposed: the Gateway or controller would pick one of them.
import { finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { namespaceOf, ofKind, rec, str } from './lib/access.ts';
import { claimedHosts, hostsOverlap, type ClaimedHost } from './lib/routes.ts';

const ID = 'host-unique-per-cluster';

interface Claim extends ClaimedHost {
  cluster: string;
}

/** The cluster a namespace of the environment lives on: the destination server of the Applications that deploy into it. */
function clusterOf(docs: readonly RenderedDoc[], namespace: string): string | undefined {
  const server = ofKind(docs, 'Application')
    .map((a) => rec(rec(a.object.spec).destination))
    .find((d) => str(d.namespace) === namespace)?.server;
  return str(server);
}

/** Every environment's claims with their cluster; hosts whose cluster is unknown (no Application) claim nothing. */
function claimsOf(docs: readonly RenderedDoc[]): Claim[] {
  return claimedHosts(docs).flatMap((c) => {
    const cluster = clusterOf(docs, namespaceOf(c.doc));
    return cluster === undefined ? [] : [{ ...c, cluster }];
  });
}

/** The rule runs once per environment over the same fleet: compute the fleet's claims once, not once per environment. */
const fleetCache = new WeakMap<readonly RenderedDoc[], Map<string, Claim[]>>();

function fleetClaims(fleet: readonly RenderedDoc[]): Map<string, Claim[]> {
  const cached = fleetCache.get(fleet);
  if (cached) return cached;
  const byEnv = new Map<string, RenderedDoc[]>();
  for (const d of fleet) if (d.env !== '') byEnv.set(d.env, [...(byEnv.get(d.env) ?? []), d]);
  const claims = new Map([...byEnv].map(([env, docs]) => [env, claimsOf(docs)]));
  fleetCache.set(fleet, claims);
  return claims;
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'Two environments deployed to the same cluster never claim the same host (HTTPRoute hostnames, Ingress hosts)',
  check: (ctx) => {
    const others = [...fleetClaims(ctx.fleet ?? ctx.docs)].filter(([env]) => env !== ctx.env);
    return claimsOf(ctx.docs).flatMap((mine) => {
      const envs = others
        .filter(([, claims]) => claims.some((theirs) => theirs.cluster === mine.cluster && hostsOverlap(mine.host, theirs.host)))
        .map(([env]) => env)
        .sort();
      return envs.length === 0
        ? []
        : [finding(mine.doc, ID, mine.path, `${mine.host} is also claimed on cluster ${mine.cluster} by environment ${envs.join(', ')}; give each environment its own domain`)];
    });
  },
};
