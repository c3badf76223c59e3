// ConfigMaps and Secrets a pod reads exist, with the keys it reads; a Secret may come from an ExternalSecret or be declared out of band.
import { finding, type Rule } from '../lib/validate/types.ts';
import { PREEXISTING_SECRETS_ANNOTATION } from '../lib/argocd/namespace.ts';
import { podReferences, providedKeys, resolve } from './lib/references.ts';
import { podTemplates } from './lib/workloads.ts';

const ID = 'config-reference-exists';

/**
 * Resolution order for a Secret: a rendered Secret, an ExternalSecret whose target (`spec.target.name`,
 * default its own name) is that Secret, or a name listed in the Namespace annotation
 * `orocommerce.io/preexisting-secrets` (environments with `secrets.provider: preexisting`).
 * References marked `optional: true` may dangle by design.
 */
export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'envFrom, valueFrom, volume and imagePullSecrets references to ConfigMaps and Secrets resolve, keys included',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      podReferences(t)
        .filter((r) => (r.kind === 'ConfigMap' || r.kind === 'Secret') && !r.optional)
        .flatMap((r) => {
          const provider = resolve(r, t.namespace, ctx.docs);
          if (provider === undefined) {
            const hint = r.kind === 'Secret' ? ` (render an ExternalSecret, or list it in the Namespace annotation ${PREEXISTING_SECRETS_ANNOTATION})` : '';
            return [finding(t.doc, ID, r.path, `${r.kind} ${r.name} is not rendered in this namespace${hint}`)];
          }
          const keys = provider === 'preexisting' ? undefined : providedKeys(provider);
          return keys === undefined ? [] : r.keys.filter((k) => !keys.has(k)).map((k) => finding(t.doc, ID, r.path, `${r.kind} ${r.name} has no key ${k}`));
        }),
    ),
};
