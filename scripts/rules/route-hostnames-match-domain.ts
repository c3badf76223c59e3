// Every host the way in answers for is the shop's domain, the host of ORO_APP_URL, so the URLs Oro writes lead back to it.
import { finding, type Finding, type Rule } from '../lib/validate/types.ts';
import { arr, ofKind, rec, strings } from './lib/access.ts';
import { claimedHosts } from './lib/routes.ts';

const ID = 'route-hostnames-match-domain';

/** The hosts of every rendered ORO_APP_URL (one, normally): the domain the environment was rendered for. */
function domains(docs: Parameters<Rule['check']>[0]['docs']): Set<string> {
  const urls = ofKind(docs, 'ConfigMap').flatMap((d) => {
    const url = strings(d.object.data).ORO_APP_URL;
    return url === undefined ? [] : [url];
  });
  return new Set(urls.flatMap((u) => (URL.canParse(u) ? [new URL(u).hostname] : [])));
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: "HTTPRoute hostnames and Ingress hosts are the environment's domain (the host of ORO_APP_URL); an HTTPRoute always names it",
  check: (ctx) => {
    const hosts = claimedHosts(ctx.docs);
    const routes = ofKind(ctx.docs, 'HTTPRoute');
    if (hosts.length === 0 && routes.length === 0) return [];
    const domain = domains(ctx.docs);
    // A route without hostnames takes every host its listener accepts, other shops' included.
    const open: Finding[] = routes
      .filter((r) => arr(rec(r.object.spec).hostnames).length === 0)
      .map((r) => finding(r, ID, 'spec.hostnames', `no hostnames: the route would answer for every host of its listener; name the domain ${[...domain].join(', ') || '(ORO_APP_URL)'}`));
    if (domain.size === 0) {
      return [...open, ...hosts.map((h) => finding(h.doc, ID, h.path, `${h.host}: no rendered ConfigMap sets ORO_APP_URL, the shop's domain, to compare it with`))];
    }
    return [
      ...open,
      ...hosts.filter((h) => !domain.has(h.host)).map((h) => finding(h.doc, ID, h.path, `${h.host} is not the shop's domain ${[...domain].join(', ')} (ORO_APP_URL)`)),
    ];
  },
};
