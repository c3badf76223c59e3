// The rendered PrometheusRule of every environment, proven by the real promtool: `check rules` on its
// groups, and `test rules` with alert-tests.ts, so every alert fires when it should and stays silent or
// clears when it should.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadEnvironment } from '../../scripts/lib/environment/load.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { runProgram } from '../../scripts/lib/programs.ts';
import { alertCases, promtoolTests } from './alert-tests.ts';
import type { AlertRule } from './rules.ts';

const RULE_FILE = 'prometheusrule-orocommerce-alerts.yaml';
const environments = readdirSync(path.join(REPO_ROOT, 'rendered'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(path.join(REPO_ROOT, 'rendered', d.name)).includes('monitoring'))
  .map((d) => d.name)
  .filter((name) => readdirSync(path.join(REPO_ROOT, 'rendered', name, 'monitoring')).includes(RULE_FILE))
  .sort();

const work = mkdtempSync(path.join(tmpdir(), 'promtool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('promtool', () => {
  it('is installed', () => {
    expect(runProgram('promtool', ['--version']).stdout + runProgram('promtool', ['--version']).stderr).toMatch(/promtool, version 2\./);
  });

  it('finds a rendered PrometheusRule in every environment that renders monitoring', () => {
    expect(environments).toEqual(expect.arrayContaining(['dev', 'prod', 'staging']));
  });
});

describe.each(environments)('rendered/%s/monitoring rules', (name) => {
  const rendered = parse(readFileSync(path.join(REPO_ROOT, 'rendered', name, 'monitoring', RULE_FILE), 'utf8')) as { spec: { groups: { rules: AlertRule[] }[] } };
  const rules = rendered.spec.groups.flatMap((g) => g.rules);

  it('pass `promtool check rules`', () => {
    writeFileSync(path.join(work, `${name}-rules.yaml`), stringify({ groups: rendered.spec.groups }));
    const result = runProgram('promtool', ['check', 'rules', path.join(work, `${name}-rules.yaml`)]);
    expect(result.stderr + result.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('pass `promtool test rules`: every alert fires, stays silent and clears as its cases say', async () => {
    const env = await loadEnvironment(REPO_ROOT, name);
    const tests = promtoolTests(`${name}-rules.yaml`, rules, alertCases(env));
    writeFileSync(path.join(work, `${name}-rules.yaml`), stringify({ groups: rendered.spec.groups }));
    writeFileSync(path.join(work, `${name}-tests.yaml`), stringify(tests));
    const tested = new Set((tests.tests as { alert_rule_test: { alertname: string }[] }[]).flatMap((t) => t.alert_rule_test.map((r) => r.alertname)));
    expect([...tested].sort()).toEqual(rules.map((r) => r.alert).sort());
    const result = runProgram('promtool', ['test', 'rules', `${name}-tests.yaml`], { cwd: work });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
