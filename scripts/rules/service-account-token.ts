// Pods mount no API token unless they call the API: automountServiceAccountToken is false on the pod or its ServiceAccount (D-05).
import { finding, type Rule } from '../lib/validate/types.ts';
import { lookup, str } from './lib/access.ts';
import { podTemplates } from './lib/workloads.ts';

export const rule: Rule = {
  id: 'service-account-token',
  layer: 'policy',
  description: 'Pods do not automount a ServiceAccount token (the pod setting wins over the ServiceAccount)',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) => {
      const own = t.spec.automountServiceAccountToken;
      const account = lookup(ctx.docs, 'ServiceAccount', t.namespace, str(t.spec.serviceAccountName) ?? 'default');
      const mounted = own === undefined ? account?.object.automountServiceAccountToken !== false : own !== false;
      return mounted
        ? [finding(t.doc, 'service-account-token', `${t.specPath}.automountServiceAccountToken`, 'the pod mounts an API token it does not need: set automountServiceAccountToken: false')]
        : [];
    }),
};
