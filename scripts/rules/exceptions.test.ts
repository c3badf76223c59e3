// Exceptions stay honest: each names real rules and gives a reason, and one that suppresses nothing is reported.
import { describe, expect, it } from 'vitest';
import { RULES } from '../lib/validate/rules.ts';
import type { Finding } from '../lib/validate/types.ts';
import { applyExceptions, EXCEPTIONS } from './exceptions.ts';

const finding = (over: Partial<Finding>): Finding => ({ file: 'rendered/prod/init-jobs/job-volume-init.yaml', kind: 'Job', name: 'volume-init', path: 'p', message: 'm', rule: 'pod-security-restricted', ...over });

describe('EXCEPTIONS', () => {
  it.each(EXCEPTIONS.map((e) => [`${e.kind}/${e.name}`, e] as const))('%s names registered rules and says why', (_, e) => {
    expect(e.reason.length).toBeGreaterThan(20);
    expect(e.rules.length).toBeGreaterThan(0);
    for (const rule of e.rules) expect(RULES.map((r) => r.id)).toContain(rule);
  });
});

describe('applyExceptions', () => {
  const exception = { kind: 'Job', name: 'volume-init', rules: ['pod-security-restricted'], reason: 'copies code as root' };

  it('removes only the findings of the excepted object and rule', () => {
    const other = [finding({ rule: 'resources-required' }), finding({ name: 'install' }), finding({ kind: 'CronJob' })];
    expect(applyExceptions([finding({}), ...other], [exception])).toEqual(other);
  });

  it('reports an exception rule that suppressed nothing', () => {
    expect(applyExceptions([finding({ name: 'install' })], [exception])).toEqual([
      finding({ name: 'install' }),
      {
        file: 'scripts/rules/exceptions.ts',
        kind: 'Job',
        name: 'volume-init',
        path: 'EXCEPTIONS[0].rules',
        message: 'the exception for pod-security-restricted suppresses nothing in the validated environments: remove it',
        rule: 'exception-unused',
      },
    ]);
  });
});
