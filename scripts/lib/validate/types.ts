// Contracts shared by every validation layer: what a rule sees, and what it reports.
import type { KubernetesObject } from '../k8s.ts';

/** One rendered document as validation sees it. */
export interface RenderedDoc {
  /** Path relative to the repository root, e.g. `rendered/prod/web/deployment-webserver.yaml`. */
  file: string;
  /** Environment name (`rendered/<env>/…`), or `''` for files outside an environment. */
  env: string;
  /** Component folder (`web`, `apps`, `bootstrap`, …), or `''`. */
  component: string;
  object: KubernetesObject;
}

/** One problem found. Printed as `<file> <Kind>/<name> <path>: <message> [<rule>]`. */
export interface Finding {
  file: string;
  kind: string;
  name: string;
  /** JSON-pointer-like location inside the object, e.g. `spec.template.spec.containers[0].image`. */
  path: string;
  message: string;
  rule: string;
}

/** Everything a rule may look at: all documents of one environment (cross-reference rules need them all). */
export interface RuleContext {
  env: string;
  docs: readonly RenderedDoc[];
  /**
   * Every environment's documents validated together (this one's included), for the few rules about the fleet
   * (two environments claiming one host on a cluster). Only those rules may read it; references never cross environments.
   */
  fleet?: readonly RenderedDoc[];
}

/** A validation rule: one file per rule under scripts/rules/, with a passing and a failing fixture. */
export interface Rule {
  /** Stable id printed in brackets, kebab-case, named after the outcome (`no-missing-pvc`). */
  id: string;
  layer: 'schema' | 'policy' | 'reference';
  description: string;
  check(ctx: RuleContext): Finding[];
}

/** Builds a finding for a document, so rules never mistype the file/kind/name triple. */
export function finding(doc: RenderedDoc, rule: string, path: string, message: string): Finding {
  return { file: doc.file, kind: doc.object.kind, name: doc.object.metadata.name, path, message, rule };
}

/** Sorts findings by file, kind, name, path, rule (code-unit order: locale-independent). */
export function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) => [f.file, f.kind, f.name, f.path, f.rule, f.message];
  return [...findings].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i]! < kb[i]!) return -1;
      if (ka[i]! > kb[i]!) return 1;
    }
    return 0;
  });
}
