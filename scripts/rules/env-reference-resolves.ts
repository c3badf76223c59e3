// `$(VAR)` in an env value expands only when VAR is defined earlier in the same container; otherwise the text stays literal.
import { finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { arr, rec, str } from './lib/access.ts';
import { podReferences, providedKeys, resolve } from './lib/references.ts';
import { containers, podTemplates, type ContainerRef, type PodTemplate } from './lib/workloads.ts';

const ID = 'env-reference-resolves';
/** `$$(VAR)` is the escape for a literal `$(VAR)`. */
const REFERENCE = /(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g;
/** The kubelet always injects the API server's service variables. */
const INJECTED = /_SERVICE_(HOST|PORT\w*)$/;

/** Names envFrom defines before `env` (with its prefix), or `undefined` when a source's keys cannot be known. */
function envFromNames(t: PodTemplate, c: ContainerRef, docs: readonly RenderedDoc[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const [i, e] of arr(c.container.envFrom).entries()) {
    const ref = podReferences(t).find((r) => r.path.startsWith(`${c.path}.envFrom[${i}].`));
    const provider = ref && resolve(ref, t.namespace, docs);
    const keys = provider && provider !== 'preexisting' ? providedKeys(provider) : undefined;
    if (!keys) return undefined;
    for (const key of keys) names.add(`${str(rec(e).prefix) ?? ''}${key}`);
  }
  return names;
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: '$(VAR) references in env values name a variable defined earlier in the same container',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      containers(t).flatMap((c) => {
        const defined = envFromNames(t, c, ctx.docs);
        if (!defined) return [];
        return arr(c.container.env).flatMap((entry, i) => {
          const e = rec(entry);
          const missing = [...(str(e.value) ?? '').matchAll(REFERENCE)].map((m) => m[1]!).filter((name) => !defined.has(name) && !INJECTED.test(name));
          if (str(e.name)) defined.add(str(e.name)!);
          return missing.map((name) => finding(t.doc, ID, `${c.path}.env[${i}].value`, `$(${name}) is not defined before ${str(e.name) ?? `env[${i}]`}: Kubernetes passes the text through literally`));
        });
      }),
    ),
};
