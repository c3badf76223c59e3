// Label selector semantics: a Service's plain map, and the matchLabels/matchExpressions form of PDBs and HPAs.
import type { RenderedDoc } from '../../lib/validate/types.ts';
import { arr, rec, str, strings } from './access.ts';
import { podTemplates, type PodTemplate } from './workloads.ts';

/** A Service selector: every pair must be present. An empty map selects nothing (manual Endpoints). */
function mapSelects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const pairs = Object.entries(selector);
  return pairs.length > 0 && pairs.every(([k, v]) => labels[k] === v);
}

function expressionHolds(expression: unknown, labels: Record<string, string>): boolean {
  const e = rec(expression);
  const key = str(e.key) ?? '';
  const values = arr(e.values).filter((v): v is string => typeof v === 'string');
  const value = labels[key];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** A LabelSelector (`matchLabels` + `matchExpressions`); an empty one selects every pod, as in a PDB. */
export function labelSelectorSelects(selector: unknown, labels: Record<string, string>): boolean {
  const s = rec(selector);
  return (
    Object.entries(strings(s.matchLabels)).every(([k, v]) => labels[k] === v) &&
    arr(s.matchExpressions).every((e) => expressionHolds(e, labels))
  );
}

/** Pod templates in the Service's namespace that its selector picks. */
export function podsOfService(service: RenderedDoc, docs: readonly RenderedDoc[]): PodTemplate[] {
  const selector = strings(rec(service.object.spec).selector);
  const namespace = service.object.metadata.namespace ?? '';
  return podTemplates(docs).filter((t) => t.namespace === namespace && mapSelects(selector, t.labels));
}
