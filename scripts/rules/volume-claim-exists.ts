// Every persistentVolumeClaim a pod mounts is rendered, as a PVC or as a claim a StatefulSet's volumeClaimTemplate creates.
import { finding, type Rule, type RenderedDoc } from '../lib/validate/types.ts';
import { arr, lookup, ofKind, rec, str } from './lib/access.ts';
import { podReferences } from './lib/references.ts';
import { podTemplates } from './lib/workloads.ts';

/** Claims a StatefulSet creates: `<template>-<statefulset>-<ordinal>` for each replica. */
function templateClaims(docs: readonly RenderedDoc[], namespace: string): Set<string> {
  return new Set(
    ofKind(docs, 'StatefulSet')
      .filter((s) => (s.object.metadata.namespace ?? '') === namespace)
      .flatMap((s) => {
        const spec = rec(s.object.spec);
        const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
        return arr(spec.volumeClaimTemplates).flatMap((v) => {
          const template = str(rec(rec(v).metadata).name);
          return template ? Array.from({ length: replicas }, (_, i) => `${template}-${s.object.metadata.name}-${i}`) : [];
        });
      }),
  );
}

export const rule: Rule = {
  id: 'volume-claim-exists',
  layer: 'reference',
  description: 'persistentVolumeClaim.claimName resolves to a rendered PVC or a StatefulSet volumeClaimTemplate',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      podReferences(t)
        .filter((r) => r.kind === 'PersistentVolumeClaim')
        .filter((r) => !lookup(ctx.docs, 'PersistentVolumeClaim', t.namespace, r.name) && !templateClaims(ctx.docs, t.namespace).has(r.name))
        .map((r) => finding(t.doc, 'volume-claim-exists', r.path, `PersistentVolumeClaim ${r.name} is not rendered in this namespace`)),
    ),
};
