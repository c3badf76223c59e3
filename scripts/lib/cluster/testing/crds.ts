// CustomResourceDefinitions for the cluster tests: the Gateway API's own manifests (vendored whole, so their CEL
// rules judge our routes), and the others rebuilt from the vendored CRD schemas (scripts/schemas/crds/, with their
// provenance in scripts/schemas/README.md). What those schemas dropped stays dropped: CEL rules and list-type markers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_API_CRD_DIR, GATEWAY_API_CRD_FILES } from '../../gateway-api.ts';
import { REPO_ROOT } from '../../paths.ts';
import type { KubernetesObject } from '../../k8s.ts';

const CRD_DIR = path.join(REPO_ROOT, 'scripts', 'schemas', 'crds');

/** Kinds whose upstream CRD is cluster-scoped; every other vendored kind is namespaced. */
const CLUSTER_SCOPED = new Set(['ClusterSecretStore']);
/** Groups whose upstream CRDs enable the status subresource (Argo CD's and prometheus-operator's do not). */
const STATUS_SUBRESOURCE = new Set(['external-secrets.io']);

interface IndexEntry {
  schema: string;
  served: boolean;
  storage: boolean;
}

/**
 * The strict JSON schema made structural again for the API server: `additionalProperties: false` goes (a CRD
 * schema may not combine it with `properties`; the server rejects unknown fields itself with fieldValidation=Strict),
 * and the ObjectMeta `$ref` becomes `type: object` (the server validates metadata as ObjectMeta).
 */
export function structural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structural);
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (typeof o.$ref === 'string') return { type: 'object' };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'additionalProperties' && v === false) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([pk, pv]) => [pk, structural(pv)])) : structural(v);
  }
  return out;
}

/** The Gateway API's upstream CRDs, unchanged: CEL validation included. */
function gatewayApiCrds(): KubernetesObject[] {
  return GATEWAY_API_CRD_FILES.map((f) => parse(readFileSync(path.join(GATEWAY_API_CRD_DIR, f), 'utf8')) as KubernetesObject);
}

const UPSTREAM_GROUPS = new Set(['gateway.networking.k8s.io']);

/** One CRD per vendored kind with every served version; upstream manifests where they are vendored. */
export function testCrds(): KubernetesObject[] {
  return [...rebuiltCrds(), ...gatewayApiCrds()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

function rebuiltCrds(): KubernetesObject[] {
  const index = JSON.parse(readFileSync(path.join(CRD_DIR, 'index.json'), 'utf8')) as { kinds: Record<string, IndexEntry> };
  const byKind = new Map<string, { group: string; kind: string; versions: { name: string; entry: IndexEntry }[] }>();
  for (const [key, entry] of Object.entries(index.kinds)) {
    const [group, version, kind] = key.split('/') as [string, string, string];
    if (UPSTREAM_GROUPS.has(group)) continue;
    const k = byKind.get(`${group}/${kind}`) ?? { group, kind, versions: [] };
    k.versions.push({ name: version, entry });
    byKind.set(`${group}/${kind}`, k);
  }
  return [...byKind.values()]
    .map(({ group, kind, versions }) => {
      const plural = `${kind.toLowerCase()}s`;
      const served = versions.filter((v) => v.entry.served);
      return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${plural}.${group}`, labels: { 'app.kubernetes.io/part-of': 'orocommerce-gitops-tests' } },
        spec: {
          group,
          scope: CLUSTER_SCOPED.has(kind) ? 'Cluster' : 'Namespaced',
          names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
          versions: served.map((v, i) => ({
            name: v.name,
            served: true,
            storage: served.some((s) => s.entry.storage) ? v.entry.storage : i === 0,
            schema: { openAPIV3Schema: structural(JSON.parse(readFileSync(path.join(CRD_DIR, v.entry.schema), 'utf8'))) },
            ...(STATUS_SUBRESOURCE.has(group) ? { subresources: { status: {} } } : {}),
          })),
        },
      } as KubernetesObject;
    });
}
