// Every in-cluster host:port named by an ORO_* setting is a rendered Service exposing that port, so a rename cannot leave a dangling DSN.
import { finding, type Finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { arr, lookup, namespaceOf, ofKind, rec, str, strings } from './lib/access.ts';
import { oroEndpoints, serviceOf } from './lib/endpoints.ts';
import { containers, podTemplates } from './lib/workloads.ts';

const ID = 'dsn-resolves';

function check(doc: RenderedDoc, settings: Record<string, string>, pathOf: (key: string) => string, docs: readonly RenderedDoc[]): Finding[] {
  return oroEndpoints(settings).flatMap((e) => {
    const target = serviceOf(e.host, namespaceOf(doc));
    if (!target) return [];
    const service = lookup(docs, 'Service', target.namespace, target.name);
    if (!service) return [finding(doc, ID, pathOf(e.key), `${e.host} is not a rendered Service`)];
    const ports = arr(rec(service.object.spec).ports).map((p) => rec(p).port);
    return e.port === undefined || ports.includes(e.port) ? [] : [finding(doc, ID, pathOf(e.key), `Service ${target.name} has no port ${e.port}`)];
  });
}

/** A container's literal env values, keyed by name, with the index each came from. */
function literalEnv(env: unknown): { values: Record<string, string>; index: Map<string, number> } {
  const values: Record<string, string> = {};
  const index = new Map<string, number>();
  arr(env).forEach((e, i) => {
    const name = str(rec(e).name);
    const value = str(rec(e).value);
    if (name && value !== undefined) {
      values[name] = value;
      index.set(name, i);
    }
  });
  return { values, index };
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'Hosts and ports in ORO_* ConfigMap values and literal env (DSNs, HOST/PORT pairs, JSON upstreams) resolve to rendered Services',
  check: (ctx) => [
    ...ofKind(ctx.docs, 'ConfigMap').flatMap((d) => check(d, strings(d.object.data), (key) => `data.${key}`, ctx.docs)),
    ...podTemplates(ctx.docs).flatMap((t) =>
      containers(t).flatMap((c) => {
        const { values, index } = literalEnv(c.container.env);
        return check(t.doc, values, (key) => `${c.path}.env[${index.get(key) ?? 0}].value`, ctx.docs);
      }),
    ),
  ],
};
