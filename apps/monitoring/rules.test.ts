// The alert rules' own facts, without promtool: every alert has cases that make it fire and keep it
// silent (rules.real.test.ts runs them), Job alerts judge Jobs by outcome, and the backup links its runbook.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { alertCases, expandAnnotation, promtoolTests } from './alert-tests.ts';
import { ruleGroups, runbookUrl } from './rules.ts';

const environments = {
  'prod defaults': testEnvironment('prod'),
  'dev (restore mode)': testEnvironment('dev', { 'init-jobs': { mode: 'restore' } } as never),
  'no backup': testEnvironment('prod', { db: { backup: { enabled: false } } } as never),
};

describe.each(Object.entries(environments))('alert cases, %s', (_, env) => {
  const rules = ruleGroups(env).flatMap((g) => g.rules);
  const cases = alertCases(env).filter((c) => rules.some((r) => r.alert === c.alert));

  it.each(rules.map((r) => [r.alert] as const))('%s has a check where it fires and one where it is silent or cleared', (alert) => {
    const checks = cases.filter((c) => c.alert === alert).flatMap((c) => c.checks);
    expect(checks.some((c) => c.firing.length > 0)).toBe(true);
    expect(checks.some((c) => c.firing.length === 0)).toBe(true);
  });

  it('expand every annotation of every expected alert without a missing label', () => {
    const tests = promtoolTests('rules.yaml', rules, cases) as { tests: { alert_rule_test: { exp_alerts: { exp_annotations: Record<string, string> }[] }[] }[] };
    const texts = tests.tests.flatMap((t) => t.alert_rule_test.flatMap((a) => a.exp_alerts.flatMap((e) => Object.values(e.exp_annotations))));
    expect(texts.length).toBeGreaterThan(rules.length);
    expect(texts.filter((t) => t.includes('<no value>') || t.includes('{{'))).toEqual([]);
  });
});

describe('expandAnnotation', () => {
  it("prints labels, $value and humanizePercentage as Prometheus' templates do", () => {
    expect(expandAnnotation('{{ $labels.pod }} at {{ $value }}, {{ $value | humanizePercentage }}', { pod: 'web-a' }, 0.9)).toBe('web-a at 0.9, 90%');
    expect(expandAnnotation('{{ $labels.missing }}', {}, undefined)).toBe('<no value>');
  });

  it('refuses a template form it does not know, so the cases never guess', () => {
    expect(() => expandAnnotation('{{ $value | humanize }}', {}, 1)).toThrow(/not understood/);
  });
});

describe('Job alerts', () => {
  const env = testEnvironment('prod');
  const rules = Object.fromEntries(ruleGroups(env).flatMap((g) => g.rules.map((r) => [r.alert, r])));

  it('look at the init jobs only, by name', () => {
    for (const alert of ['OroInitJobFailed', 'OroInitJobRetrying']) expect(rules[alert]!.expr).toContain('job_name=~"volume-init|oro-upgrade-backup|oro-maintenance-on|oro-install|oro-cache-warmup|oro-maintenance-off"');
  });

  it("judge the backup by the newest Job of its CronJob and by the CronJob's last success", () => {
    expect(rules.OroBackupFailed!.expr).toContain('owner_kind="CronJob",owner_name="database-orocommerce-backup"');
    expect(rules.OroBackupTooOld!.expr).toContain('kube_cronjob_status_last_successful_time{namespace="orocommerce-prod",cronjob="database-orocommerce-backup"}');
    expect(rules.OroBackupTooOld!.expr).toContain('> 93600');
  });

  it('link the backup runbook, whose sections exist', () => {
    const runbooks = readFileSync(path.join(REPO_ROOT, 'apps/monitoring/RUNBOOKS.md'), 'utf8');
    for (const alert of ['OroBackupFailed', 'OroBackupTooOld']) {
      expect(rules[alert]!.annotations.runbook_url).toBe(runbookUrl(env, alert.toLowerCase()));
      expect(runbooks).toContain(`\n## ${alert}\n`);
    }
    expect(runbookUrl(env, 'x')).toBe('https://git.internal/platform/orocommerce-gitops/blob/main/apps/monitoring/RUNBOOKS.md#x');
    expect(existsSync(path.join(REPO_ROOT, 'apps/monitoring/RUNBOOKS.md'))).toBe(true);
  });
});
