// Every HTTPRoute and Ingress backend is a rendered Service of the same namespace, with the port the route names.
import { finding, type Finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { arr, lookup, namespaceOf, ofKind, rec, str } from './lib/access.ts';

const ID = 'route-backend-exists';

function servicePorts(service: RenderedDoc): Record<string, unknown>[] {
  return arr(rec(service.object.spec).ports).map(rec);
}

/** A backendRef of an HTTPRoute rule: core Service by default, in the route's namespace by default, port by number. */
function checkBackendRef(doc: RenderedDoc, docs: readonly RenderedDoc[], ref: Record<string, unknown>, path: string): Finding[] {
  const group = str(ref.group) ?? '';
  const kind = str(ref.kind) ?? 'Service';
  const name = str(ref.name) ?? '';
  if (group !== '' || kind !== 'Service') return [finding(doc, ID, path, `backend ${group ? `${group}/` : ''}${kind} ${name} is not a Service; only Services are rendered here`)];
  const namespace = str(ref.namespace) ?? namespaceOf(doc);
  if (namespace !== namespaceOf(doc)) return [finding(doc, ID, `${path}.namespace`, `backend Service ${name} is in namespace ${namespace}, outside this environment`)];
  const service = lookup(docs, 'Service', namespace, name);
  if (!service) return [finding(doc, ID, `${path}.name`, `${name} is not a rendered Service`)];
  if (ref.port === undefined) return [finding(doc, ID, path, `a Service backend needs a port (one of ${servicePorts(service).map((p) => p.port).join(', ')})`)];
  return servicePorts(service).some((p) => p.port === ref.port) ? [] : [finding(doc, ID, `${path}.port`, `Service ${name} has no port ${String(ref.port)}`)];
}

function httpRouteFindings(doc: RenderedDoc, docs: readonly RenderedDoc[]): Finding[] {
  return arr(rec(doc.object.spec).rules).flatMap((rule, i) =>
    arr(rec(rule).backendRefs).flatMap((ref, j) => checkBackendRef(doc, docs, rec(ref), `spec.rules[${i}].backendRefs[${j}]`)),
  );
}

/** An Ingress backend names its Service port by name or number. */
function checkIngressBackend(doc: RenderedDoc, docs: readonly RenderedDoc[], backend: Record<string, unknown>, path: string): Finding[] {
  const service = rec(backend.service);
  const name = str(service.name);
  if (name === undefined) return [];
  const target = lookup(docs, 'Service', namespaceOf(doc), name);
  if (!target) return [finding(doc, ID, `${path}.service.name`, `${name} is not a rendered Service`)];
  const port = rec(service.port);
  const ok = servicePorts(target).some((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
  return ok ? [] : [finding(doc, ID, `${path}.service.port`, `Service ${name} has no port ${String(port.name ?? port.number)}`)];
}

function ingressFindings(doc: RenderedDoc, docs: readonly RenderedDoc[]): Finding[] {
  const spec = rec(doc.object.spec);
  const fallback = spec.defaultBackend === undefined ? [] : checkIngressBackend(doc, docs, rec(spec.defaultBackend), 'spec.defaultBackend');
  return [
    ...fallback,
    ...arr(spec.rules).flatMap((r, i) =>
      arr(rec(rec(r).http).paths).flatMap((p, j) => checkIngressBackend(doc, docs, rec(rec(p).backend), `spec.rules[${i}].http.paths[${j}].backend`)),
    ),
  ];
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'HTTPRoute backendRefs and Ingress backends name a rendered Service of the environment and one of its ports',
  check: (ctx) => [
    ...ofKind(ctx.docs, 'HTTPRoute').flatMap((d) => httpRouteFindings(d, ctx.docs)),
    ...ofKind(ctx.docs, 'Ingress').flatMap((d) => ingressFindings(d, ctx.docs)),
  ],
};
