// The host names an environment's way in claims (HTTPRoute hostnames, Ingress hosts), with where each is written.
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { arr, ofKind, rec, str } from './access.ts';

export interface ClaimedHost {
  doc: RenderedDoc;
  host: string;
  path: string;
}

/** Every host an HTTPRoute or Ingress of `docs` answers for: `spec.hostnames[i]`, `spec.rules[i].host`, `spec.tls[i].hosts[j]`. */
export function claimedHosts(docs: readonly RenderedDoc[]): ClaimedHost[] {
  return [
    ...ofKind(docs, 'HTTPRoute').flatMap((doc) =>
      arr(rec(doc.object.spec).hostnames).flatMap((h, i) => (typeof h === 'string' ? [{ doc, host: h, path: `spec.hostnames[${i}]` }] : [])),
    ),
    ...ofKind(docs, 'Ingress').flatMap((doc) => {
      const spec = rec(doc.object.spec);
      const rules = arr(spec.rules).flatMap((r, i) => {
        const host = str(rec(r).host);
        return host === undefined ? [] : [{ doc, host, path: `spec.rules[${i}].host` }];
      });
      const tls = arr(spec.tls).flatMap((t, i) =>
        arr(rec(t).hosts).flatMap((h, j) => (typeof h === 'string' ? [{ doc, host: h, path: `spec.tls[${i}].hosts[${j}]` }] : [])),
      );
      return [...rules, ...tls];
    }),
  ];
}

/** Whether two host names can match the same request: equal, or one a wildcard (`*.example.com`) covering the other. */
export function hostsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const covers = (wild: string, host: string) => wild.startsWith('*.') && host.endsWith(wild.slice(1)) && host.length > wild.length - 1;
  return x === y || covers(x, y) || covers(y, x);
}
