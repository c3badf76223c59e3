// Images name an immutable version: a digest, or a tag that is not `latest` or a floating `*-latest` (D-08).
import { finding, type Rule } from '../lib/validate/types.ts';
import { str } from './lib/access.ts';
import { containers, podTemplates } from './lib/workloads.ts';

const FLOATING_TAG = /(^|[-.])latest$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Why `image` is not pinned, or `undefined`. The tag follows the last `:` after the last `/` (a registry may have a port). */
function unpinned(image: string): string | undefined {
  const [name = '', digest] = image.split('@');
  if (digest !== undefined) return DIGEST.test(digest) ? undefined : `digest ${digest} is not sha256:<64 hex>`;
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  if (colon < 0) return `${image} has no tag, so it pulls latest`;
  const tag = name.slice(colon + 1);
  return FLOATING_TAG.test(tag) ? `tag ${tag} floats; pin a version or a digest` : undefined;
}

export const rule: Rule = {
  id: 'image-pinned',
  layer: 'policy',
  description: 'Container images carry a digest or a fixed tag, never latest or *-latest',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      containers(t).flatMap((c) => {
        const image = str(c.container.image);
        const problem = image ? unpinned(image) : 'no image';
        return problem ? [finding(t.doc, 'image-pinned', `${c.path}.image`, problem)] : [];
      }),
    ),
};
