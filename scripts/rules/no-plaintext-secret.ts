// No Secret carries data in git; secrets come from the store through ExternalSecrets or are created out of band (D-09, R-12).
import { finding, type Rule } from '../lib/validate/types.ts';

/**
 * Compares `kind` exactly and case-sensitively on the parsed object: secretlint's no-k8s-kind-secret
 * looks for a capitalised `Kind` key and so misses every real manifest.
 */
export const rule: Rule = {
  id: 'no-plaintext-secret',
  layer: 'policy',
  description: 'No Secret with data or stringData is rendered',
  check: (ctx) =>
    ctx.docs
      .filter((d) => d.object.kind === 'Secret')
      .flatMap((d) =>
        (['data', 'stringData'] as const)
          .filter((field) => d.object[field] !== undefined)
          .map((field) => finding(d, 'no-plaintext-secret', field, `Secret ${field} would commit secret values to git: render an ExternalSecret instead`)),
      ),
};
