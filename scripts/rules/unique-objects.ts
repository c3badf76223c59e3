// Each (group, kind, namespace, name) is rendered once per environment; Argo CD cannot own one object from two files.
import { finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { objectKey } from '../lib/k8s.ts';

export const rule: Rule = {
  id: 'unique-objects',
  layer: 'reference',
  description: 'No two documents of an environment render the same (group, kind, namespace, name)',
  check: (ctx) => {
    const first = new Map<string, RenderedDoc>();
    // File order, not load order, decides which copy is "first", so the report is stable.
    const byFile = [...ctx.docs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return byFile.flatMap((d) => {
      const key = objectKey(d.object);
      const seen = first.get(key);
      if (!seen) {
        first.set(key, d);
        return [];
      }
      return [finding(d, 'unique-objects', 'metadata.name', `${d.object.kind}/${d.object.metadata.name} is already rendered in ${seen.file}`)];
    });
  },
};
