// Nothing depends on an object installed in a later Argo CD wave, or the earlier wave waits for it forever.
import { finding, type Finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { ofKind, ref, waveOf } from './lib/access.ts';
import { podReferences, resolve } from './lib/references.ts';
import { podsOfService } from './lib/selectors.ts';
import { hpaTarget, podTemplates } from './lib/workloads.ts';

const ID = 'no-later-wave-dependency';

/** Objects in apps/ and bootstrap/ have no wave of their own, so they sit outside the chain. */
function later(from: RenderedDoc, to: RenderedDoc, path: string): Finding[] {
  const a = waveOf(from);
  const b = waveOf(to);
  return a !== undefined && b !== undefined && b > a
    ? [finding(from, ID, path, `depends on ${ref(to)} from ${to.component} (wave ${b}), installed after ${from.component} (wave ${a})`)]
    : [];
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'Claims, ConfigMap/Secret refs, ServiceAccounts, Service selectors and HPA targets never point at a later wave',
  check: (ctx) => [
    ...podTemplates(ctx.docs).flatMap((t) =>
      podReferences(t).flatMap((r) => {
        const provider = resolve(r, t.namespace, ctx.docs);
        return provider && provider !== 'preexisting' ? later(t.doc, provider, r.path) : [];
      }),
    ),
    ...ofKind(ctx.docs, 'Service').flatMap((s) => podsOfService(s, ctx.docs).flatMap((t) => later(s, t.doc, 'spec.selector'))),
    ...ofKind(ctx.docs, 'HorizontalPodAutoscaler').flatMap((h) => {
      const target = hpaTarget(h, ctx.docs);
      return target ? later(h, target, 'spec.scaleTargetRef') : [];
    }),
  ],
};
