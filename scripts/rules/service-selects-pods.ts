// Every Service with a selector selects at least one rendered pod template in its namespace.
import { finding, type Rule } from '../lib/validate/types.ts';
import { ofKind, rec, strings } from './lib/access.ts';
import { podsOfService } from './lib/selectors.ts';

export const rule: Rule = {
  id: 'service-selects-pods',
  layer: 'reference',
  description: 'Service selectors match the labels of at least one pod template',
  check: (ctx) =>
    ofKind(ctx.docs, 'Service')
      // A Service without a selector is fed by hand-made Endpoints or is an ExternalName alias.
      .filter((s) => Object.keys(strings(rec(s.object.spec).selector)).length > 0)
      .filter((s) => podsOfService(s, ctx.docs).length === 0)
      .map((s) => {
        const selector = Object.entries(strings(rec(s.object.spec).selector)).map(([k, v]) => `${k}=${v}`).join(',');
        return finding(s, 'service-selects-pods', 'spec.selector', `selector ${selector} matches no pod template in this namespace`);
      }),
};
