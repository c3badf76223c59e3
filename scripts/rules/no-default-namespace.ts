// Every namespaced object names its namespace explicitly, and it is never `default` (D-22, CIS 5.6.4).
import { finding, type Rule } from '../lib/validate/types.ts';
import { isNamespaced } from './lib/scope.ts';

export const rule: Rule = {
  id: 'no-default-namespace',
  layer: 'policy',
  description: 'Namespaced objects set metadata.namespace, and never to default',
  check: (ctx) =>
    ctx.docs.filter(isNamespaced).flatMap((d) => {
      const namespace = d.object.metadata.namespace;
      if (namespace === undefined || namespace === '') {
        return [finding(d, 'no-default-namespace', 'metadata.namespace', 'no namespace: the object lands wherever it is applied, default for kubectl')];
      }
      return namespace === 'default' ? [finding(d, 'no-default-namespace', 'metadata.namespace', 'objects are never rendered into the default namespace')] : [];
    }),
};
