// Alertmanager's configuration from monitoring.alerting: receivers per class, credentials only as mounted files, egress per channel.
import { describe, expect, it } from 'vitest';
import { TEST_REPO_URL, testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { environmentFileSchema } from '../../scripts/lib/environment/schema.ts';
import { alertmanagerConfig, alertmanagerSecretRequirement, CHANNEL_SECRET_KEYS } from './alertmanager.ts';
import { component } from './index.ts';
import { receiverPorts } from './network.ts';
import { ruleGroups } from './rules.ts';

const channels = {
  routes: { critical: ['pagerduty', 'slack'], warning: ['slack', 'webhook'], backup: ['email'] },
  pagerduty: {},
  slack: { channel: '#oro-alerts' },
  webhook: { port: 8443 },
  email: { to: ['dba@example.com', 'ops@example.com'], from: 'am@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am' },
} as const;
const env = testEnvironment('prod', { monitoring: { alerting: channels } } as never);
const config = alertmanagerConfig(env) as any;
const receiver = (name: string) => config.receivers.find((r: { name: string }) => r.name === name);
const values = (e = env) => component.extraSources!(e)[0]!.helm!.valuesObject as any;
const rendered = (e = env) => component.render(e);

describe('receivers', () => {
  it('are null, critical, warning and backup, each with the channels its class is routed to', () => {
    expect(config.receivers.map((r: { name: string }) => r.name)).toEqual(['null', 'critical', 'warning', 'backup']);
    expect(Object.keys(receiver('critical')).sort()).toEqual(['name', 'pagerduty_configs', 'slack_configs']);
    expect(Object.keys(receiver('warning')).sort()).toEqual(['name', 'slack_configs', 'webhook_configs']);
    expect(receiver('backup').email_configs).toEqual([
      {
        send_resolved: true,
        to: 'dba@example.com, ops@example.com',
        from: 'am@example.com',
        smarthost: 'smtp.example.com:587',
        require_tls: true,
        auth_username: 'am',
        auth_password_file: '/etc/alertmanager/secrets/monitoring-alertmanager-receivers/smtp-auth-password',
      },
    ]);
  });

  it('read every credential from a file of the mounted Secret, never from a value', () => {
    const text = JSON.stringify(values());
    expect(text).not.toMatch(/"(api_url|routing_key|service_key|auth_password|url)":/);
    expect(receiver('critical').pagerduty_configs[0].routing_key_file).toBe('/etc/alertmanager/secrets/monitoring-alertmanager-receivers/pagerduty-routing-key');
    expect(receiver('critical').slack_configs[0].api_url_file).toBe('/etc/alertmanager/secrets/monitoring-alertmanager-receivers/slack-api-url');
    expect(receiver('warning').webhook_configs[0].url_file).toBe('/etc/alertmanager/secrets/monitoring-alertmanager-receivers/webhook-url');
  });

  it('come with an ExternalSecret holding exactly the keys the files name, mounted through alertmanagerSpec.secrets', () => {
    const secret = rendered().find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'monitoring-alertmanager-receivers')!;
    const keys = (secret.spec as any).data.map((d: { secretKey: string }) => d.secretKey);
    expect(keys).toEqual(['webhook-url', 'slack-api-url', 'smtp-auth-password', 'pagerduty-routing-key']);
    expect((secret.spec as any).data[0].remoteRef).toEqual({ key: 'orocommerce/prod/alertmanager', property: 'webhook-url' });
    const files = [...JSON.stringify(config).matchAll(/\/etc\/alertmanager\/secrets\/monitoring-alertmanager-receivers\/([-a-z]+)/g)].map((m) => m[1]);
    expect(new Set(files)).toEqual(new Set(keys));
    expect(values().alertmanager.alertmanagerSpec.secrets).toEqual(['monitoring-alertmanager-receivers']);
  });

  it('ask no password and no Secret key for an SMTP relay without login', () => {
    const open = testEnvironment('prod', { monitoring: { alerting: { routes: { backup: ['email'] }, email: { ...channels.email, authUsername: undefined } } } } as never);
    expect(alertmanagerSecretRequirement(open)).toEqual([]);
    expect(JSON.stringify(alertmanagerConfig(open))).not.toContain('auth_');
  });

  it('list the hand-made Secret for `preexisting` environments and render no ExternalSecret there', () => {
    const manual = testEnvironment('prod', { secrets: { provider: 'preexisting' }, monitoring: { alerting: channels } } as never);
    expect(rendered(manual).filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
    expect(alertmanagerSecretRequirement(manual)).toEqual([
      { name: 'monitoring-alertmanager-receivers', keys: ['webhook-url', 'slack-api-url', 'smtp-auth-password', 'pagerduty-routing-key'], remote: 'alertmanager' },
    ]);
  });
});

describe('without channels (the default)', () => {
  const plain = testEnvironment('prod');

  it('keeps the route and the receivers, which deliver nowhere, and renders no Secret, mount or egress', () => {
    const c = alertmanagerConfig(plain) as any;
    expect(c.receivers).toEqual([{ name: 'null' }, { name: 'critical' }, { name: 'warning' }, { name: 'backup' }]);
    expect(rendered(plain).map((o) => o.metadata.name)).not.toContain('monitoring-alertmanager-receivers');
    expect(rendered(plain).map((o) => o.metadata.name)).not.toContain('allow-alertmanager-to-receivers');
    expect(values(plain).alertmanager.alertmanagerSpec.secrets).toBeUndefined();
    expect(alertmanagerSecretRequirement(plain)).toEqual([]);
  });
});

describe('the route', () => {
  it('sends Watchdog, InfoInhibitor and info alerts nowhere, backups to backup, then critical, then warning', () => {
    expect(config.route.receiver).toBe('warning');
    expect(config.route.routes.map((r: { receiver: string; matchers: string[] }) => [r.receiver, r.matchers])).toEqual([
      ['null', ['alertname=~"Watchdog|InfoInhibitor"']],
      ['null', ['severity="info"']],
      ['backup', ['category="backup"']],
      ['critical', ['severity="critical"']],
      ['warning', ['severity="warning"']],
    ]);
  });

  it('pages critical alerts within seconds and reminds hourly; warnings twice a day; backups daily', () => {
    const timing = Object.fromEntries(config.route.routes.filter((r: any) => r.repeat_interval).map((r: any) => [r.receiver, [r.group_wait, r.repeat_interval]]));
    expect(timing).toEqual({ critical: ['10s', '1h'], warning: ['30s', '12h'], backup: ['30s', '24h'] });
    expect(config.route.group_by).toEqual(['namespace', 'alertname']);
  });

  it("routes the backup's alerts by their category label", () => {
    const backup = ruleGroups(env).find((g) => g.name === 'orocommerce-backup')!.rules;
    expect(backup.map((r) => [r.alert, r.labels])).toEqual([
      ['OroBackupFailed', { severity: 'warning', category: 'backup' }],
      ['OroBackupTooOld', { severity: 'warning', category: 'backup' }],
    ]);
  });
});

describe('inhibitions', () => {
  it("hold back a warning while the same alert is critical, and an effect while its cause fires", () => {
    const rules = config.inhibit_rules as { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
    expect(rules[0]).toEqual({ source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['namespace', 'alertname'] });
    expect(rules).toContainEqual({ source_matchers: ['alertname="OroVolumeAlmostFull"'], target_matchers: ['alertname=~"OroVolumeFillingUp"'], equal: ['namespace', 'persistentvolumeclaim'] });
    expect(rules).toContainEqual({ source_matchers: ['alertname="OroInitJobFailed"'], target_matchers: ['alertname=~"OroInitJobRetrying"'], equal: ['namespace', 'job_name'] });
  });

  it('name only alerts the environment renders', () => {
    const noBackup = testEnvironment('prod', { db: { backup: { enabled: false } } } as never);
    const names = new Set(ruleGroups(noBackup).flatMap((g) => g.rules.map((r) => r.alert)));
    const inhibit = (alertmanagerConfig(noBackup) as any).inhibit_rules.slice(3);
    for (const rule of inhibit) {
      for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
        for (const name of /"(.*)"/.exec(m)![1]!.split('|')) expect(names).toContain(name);
      }
    }
    expect(JSON.stringify(inhibit)).not.toContain('OroBackup');
  });
});

describe('egress', () => {
  it("opens the channels' ports only, from Alertmanager's pods, to the configured or the environment's outside addresses", () => {
    expect(receiverPorts(env)).toEqual([443, 587, 8443]);
    const policy = rendered().find((o) => o.metadata.name === 'allow-alertmanager-to-receivers')!;
    expect((policy.spec as any).podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'prometheus' } });
    expect((policy.spec as any).egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    const narrowed = testEnvironment('prod', { monitoring: { alerting: { ...channels, egressCidrs: ['192.0.2.0/24'] } } } as never);
    const narrow = rendered(narrowed).find((o) => o.metadata.name === 'allow-alertmanager-to-receivers')!;
    expect((narrow.spec as any).egress[0].to).toEqual([{ ipBlock: { cidr: '192.0.2.0/24' } }]);
  });
});

describe('settings', () => {
  it('refuse a route to a channel that has no settings, naming the field', () => {
    const result = environmentFileSchema.safeParse({ domain: 'x.example.com', source: { repoURL: TEST_REPO_URL }, monitoring: { alerting: { routes: { critical: ['pagerduty'] } } } });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ path: ['monitoring', 'alerting', 'routes', 'critical', 0], message: 'names pagerduty, which has no settings: add monitoring.alerting.pagerduty' }),
    ]);
  });

  it('name one Secret key per channel', () => {
    expect(CHANNEL_SECRET_KEYS).toEqual({ webhook: 'webhook-url', slack: 'slack-api-url', email: 'smtp-auth-password', pagerduty: 'pagerduty-routing-key' });
  });
});
