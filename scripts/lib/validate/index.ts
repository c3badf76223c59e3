// Runs every validation layer: schemas on all documents, policy and reference rules per environment, exceptions last.
import { applyExceptions, EXCEPTIONS, type RuleException } from '../../rules/exceptions.ts';
import { RULES } from './rules.ts';
import { validateSchemas } from './schema.ts';
import { sortFindings, type Finding, type RenderedDoc, type Rule, type RuleContext } from './types.ts';

export interface ValidateOptions {
  kubernetesVersion: string;
  /** Defaults to the exceptions declared in scripts/rules/exceptions.ts. */
  exceptions?: readonly RuleException[];
  /** The documents of every environment, for fleet-wide rules; defaults to `docs`. */
  fleet?: readonly RenderedDoc[];
}

/** A rule that throws is a bug in the rule, reported as a finding so one broken rule cannot hide the others. */
export function runRule(rule: Rule, ctx: RuleContext): Finding[] {
  try {
    return rule.check(ctx);
  } catch (e) {
    const message = `rule crashed on environment ${ctx.env}: ${e instanceof Error ? e.message : String(e)}`;
    return [{ file: `scripts/rules/${rule.id}.ts`, kind: '', name: '', path: '', message, rule: rule.id }];
  }
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.file === b.file && a.kind === b.kind && a.name === b.name && a.path === b.path && a.rule === b.rule && a.message === b.message;
}

/**
 * Validates rendered documents. Rules see one environment at a time (cross-references never cross
 * environments); documents outside an environment (`env: ''`) get the schema layer only.
 */
export function validateDocs(docs: readonly RenderedDoc[], options: ValidateOptions): Finding[] {
  const envs = [...new Set(docs.map((d) => d.env).filter((e) => e !== ''))].sort();
  const ruleFindings = envs.flatMap((env) => {
    const ctx: RuleContext = { env, docs: docs.filter((d) => d.env === env), fleet: options.fleet ?? docs };
    return RULES.flatMap((rule) => runRule(rule, ctx));
  });
  // With no environment there is nothing an exception could apply to, so none can be called stale.
  const policy = envs.length === 0 ? [] : applyExceptions(ruleFindings, options.exceptions ?? EXCEPTIONS);
  const sorted = sortFindings([...validateSchemas(docs, options.kubernetesVersion), ...policy]);
  return sorted.filter((f, i) => i === 0 || !sameFinding(f, sorted[i - 1]!));
}

/** What `npm run render` checks before it writes: the same layers as `npm run validate`, per environment, beside the rest of the fleet rendered. */
export const renderValidator = (docs: readonly RenderedDoc[], env: { kubernetesVersion: string } | undefined, fleet?: readonly RenderedDoc[]): Finding[] =>
  validateDocs(docs, { kubernetesVersion: env?.kubernetesVersion ?? '1.33', ...(fleet ? { fleet } : {}) });
