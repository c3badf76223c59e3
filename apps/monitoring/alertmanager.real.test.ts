// Every environment's rendered Alertmanager configuration (chart value `alertmanager.config` in the
// monitoring Application), proven by the real amtool: `check-config`, and `config routes test` for where
// each rendered alert, the chart's Watchdog and info alerts go.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { runProgram } from '../../scripts/lib/programs.ts';
import { amtool025Compatible, expectedReceiver } from './alertmanager-testing.ts';
import type { AlertRule } from './rules.ts';

const work = mkdtempSync(path.join(tmpdir(), 'amtool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Rendered {
  name: string;
  namespace: string;
  config: Record<string, unknown>;
  rules: AlertRule[];
}

/** The environments whose monitoring Application carries the stack, with its Alertmanager config and the rendered alerts. */
function renderedEnvironments(): Rendered[] {
  return readdirSync(path.join(REPO_ROOT, 'rendered'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const appFile = path.join(REPO_ROOT, 'rendered', d.name, 'apps', `application-orocommerce-${d.name}-monitoring.yaml`);
      let app: { spec: { destination: { namespace: string }; sources?: { chart?: string; helm?: { valuesObject?: { alertmanager?: { config?: Record<string, unknown> } } } }[] } };
      try {
        app = parse(readFileSync(appFile, 'utf8'));
      } catch {
        return [];
      }
      const config = app.spec.sources?.find((s) => s.chart === 'kube-prometheus-stack')?.helm?.valuesObject?.alertmanager?.config;
      if (!config) return [];
      const ruleFile = path.join(REPO_ROOT, 'rendered', d.name, 'monitoring', 'prometheusrule-orocommerce-alerts.yaml');
      const rules = (parse(readFileSync(ruleFile, 'utf8')) as { spec: { groups: { rules: AlertRule[] }[] } }).spec.groups.flatMap((g) => g.rules);
      return [{ name: d.name, namespace: app.spec.destination.namespace, config, rules }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const environments = renderedEnvironments();

function amtool(args: string[]) {
  return runProgram('amtool', args);
}

describe('amtool', () => {
  it('is installed (Debian ships 0.25)', () => {
    const v = amtool(['--version']);
    expect(v.stdout + v.stderr).toMatch(/amtool, version 0\.\d+/);
  });

  it('finds an Alertmanager configuration in every environment', () => {
    expect(environments.map((e) => e.name)).toEqual(expect.arrayContaining(['dev', 'prod', 'staging']));
  });
});

describe.each(environments.map((e) => [e.name, e] as const))('rendered/%s Alertmanager configuration', (name, env) => {
  const file = path.join(work, `${name}.yaml`);
  const compatible = path.join(work, `${name}-0.25.yaml`);

  it('passes `amtool check-config`; amtool 0.25 only lacks webhook url_file (Alertmanager 0.26+)', () => {
    writeFileSync(file, stringify(env.config));
    writeFileSync(compatible, stringify(amtool025Compatible(env.config)));
    const original = amtool(['check-config', file]);
    const usesUrlFile = JSON.stringify(env.config).includes('"url_file"');
    if (usesUrlFile) {
      expect(original.status).not.toBe(0);
      const complaints = (original.stdout + original.stderr).split('\n').filter((l) => /line \d+:/.test(l));
      expect(complaints.length).toBeGreaterThan(0);
      for (const line of complaints) expect(line).toMatch(/field url_file not found/);
    } else {
      expect(original.status, original.stdout + original.stderr).toBe(0);
    }
    const checked = amtool(['check-config', compatible]);
    expect(checked.stdout, checked.stderr).toContain('SUCCESS');
    expect(checked.status).toBe(0);
  });

  it.each(env.rules.map((r) => [r.alert, r] as const))('routes %s to the receiver of its class', (_, rule) => {
    const labels = Object.entries({ alertname: rule.alert, namespace: env.namespace, ...rule.labels }).map(([k, v]) => `${k}=${v}`);
    const result = amtool(['config', 'routes', 'test', `--config.file=${compatible}`, `--verify.receivers=${expectedReceiver(rule.labels)}`, ...labels]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(expectedReceiver(rule.labels));
  });

  it.each([
    ['critical', ['severity=critical', 'alertname=KubeStatefulSetReplicasMismatch']],
    ['warning', ['severity=warning', 'alertname=KubeDeploymentRolloutStuck']],
    ['backup', ['severity=critical', 'category=backup', 'alertname=OroBackupFailed']],
    ['warning', ['alertname=AlertWithoutSeverity']],
    ['null', ['severity=none', 'alertname=Watchdog']],
    ['null', ['severity=none', 'alertname=InfoInhibitor']],
    ['null', ['severity=info', 'alertname=CPUThrottlingHigh']],
  ])('routes the chart and other alerts: %s for %j', (receiver, labels) => {
    const result = amtool(['config', 'routes', 'test', `--config.file=${compatible}`, `--verify.receivers=${receiver}`, `namespace=${env.namespace}`, ...labels]);
    expect(result.stdout.trim()).toBe(receiver);
    expect(result.status).toBe(0);
  });
});
