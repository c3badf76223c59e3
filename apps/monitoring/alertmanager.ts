// Alertmanager's configuration (chart value `alertmanager.config`): receivers per class of alert, the route, inhibitions, and the Secret their credentials come from.
import type { SecretRequirement } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { externalSecrets } from '../lib/external-secret.ts';
import { alertInhibitions, BACKUP_CATEGORY, CATEGORY_LABEL } from './rules.ts';
import { ALERT_CLASSES, type AlertClass, type Channel } from './settings.ts';
import { stackEnabled } from './stack.ts';

/** Remote secret `<remotePrefix>/alertmanager`, whose properties are named like the Secret's keys. */
export const ALERTMANAGER_REMOTE = 'alertmanager';

/** The Secret key that holds each channel's credential. */
export const CHANNEL_SECRET_KEYS: Readonly<Record<Channel, string>> = {
  webhook: 'webhook-url',
  slack: 'slack-api-url',
  email: 'smtp-auth-password',
  pagerduty: 'pagerduty-routing-key',
};

/** The chart's receiver that drops what it gets; kept for the always-firing Watchdog, InfoInhibitor and info alerts. */
export const NULL_RECEIVER = 'null';

/**
 * Timing per class. Critical: out within 10 s, reminded every hour while it fires. Warning: grouped for
 * 30 s, reminded twice a day. Backup: once a day, the backup's own rhythm. The chart's defaults
 * (group by namespace, 30 s, 5 m, 12 h) are replaced whole, so nothing of them leaks in.
 */
const TIMING: Readonly<Record<AlertClass, { group_wait: string; repeat_interval: string }>> = {
  critical: { group_wait: '10s', repeat_interval: '1h' },
  warning: { group_wait: '30s', repeat_interval: '12h' },
  backup: { group_wait: '30s', repeat_interval: '24h' },
};
const GROUP_BY = ['namespace', 'alertname'];
const GROUP_INTERVAL = '5m';

/**
 * Where the operator mounts `alertmanagerSpec.secrets` (prometheus-operator: `/etc/alertmanager/secrets/<name>/`).
 * Alertmanager reads the files when it notifies, so a rotated credential needs no restart.
 */
export function secretFile(env: Environment, channel: Channel): string {
  return `/etc/alertmanager/secrets/${env.monitoring.alerting.secretName}/${CHANNEL_SECRET_KEYS[channel]}`;
}

/** The channels some class of alert is routed to, in a fixed order. */
export function usedChannels(env: Environment): Channel[] {
  const used = new Set(ALERT_CLASSES.flatMap((cls) => env.monitoring.alerting.routes[cls]));
  return (['webhook', 'slack', 'email', 'pagerduty'] as const).filter((c) => used.has(c));
}

/** The Secret keys Alertmanager reads: one per used channel (e-mail only when it logs in). */
function secretKeys(env: Environment): string[] {
  const { email } = env.monitoring.alerting;
  return usedChannels(env)
    .filter((c) => c !== 'email' || email?.authUsername !== undefined)
    .map((c) => CHANNEL_SECRET_KEYS[c]);
}

const SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} in {{ .CommonLabels.namespace }}';
const SLACK_TEXT = '{{ range .Alerts }}*{{ .Annotations.summary }}*\n{{ .Annotations.description }}\n_Runbook:_ {{ if .Annotations.runbook_url }}{{ .Annotations.runbook_url }}{{ else }}{{ .Annotations.runbook }}{{ end }}\n{{ end }}';

/** One channel's entry in a receiver, credentials by file only. */
function channelConfig(env: Environment, channel: Channel): [string, Record<string, unknown>] {
  const a = env.monitoring.alerting;
  switch (channel) {
    case 'webhook':
      return ['webhook_configs', { send_resolved: true, url_file: secretFile(env, 'webhook') }];
    case 'slack':
      return ['slack_configs', { send_resolved: true, api_url_file: secretFile(env, 'slack'), channel: a.slack!.channel, title: SLACK_TITLE, text: SLACK_TEXT }];
    case 'email': {
      const e = a.email!;
      const auth = e.authUsername === undefined ? {} : { auth_username: e.authUsername, auth_password_file: secretFile(env, 'email') };
      return ['email_configs', { send_resolved: true, to: e.to.join(', '), from: e.from, smarthost: e.smarthost, require_tls: e.requireTls, ...auth }];
    }
    case 'pagerduty':
      return ['pagerduty_configs', { send_resolved: true, routing_key_file: secretFile(env, 'pagerduty') }];
  }
}

function receiver(env: Environment, cls: AlertClass): Record<string, unknown> {
  const configs: Record<string, Record<string, unknown>[]> = {};
  for (const channel of env.monitoring.alerting.routes[cls]) {
    const [key, config] = channelConfig(env, channel);
    (configs[key] ??= []).push(config);
  }
  return { name: cls, ...configs };
}

/**
 * The whole Alertmanager configuration. Route, first match wins: Watchdog and InfoInhibitor (always
 * firing by design) and severity info go nowhere; the backup's alerts (label `category: backup`) go
 * to `backup`; then severity critical to `critical`; everything else (warning, unlabelled) to `warning`.
 * Inhibitions: the chart's (a critical alert holds back the warning and info of the same alert, …)
 * plus our cause → effect pairs from rules.ts.
 */
export function alertmanagerConfig(env: Environment): Record<string, unknown> {
  const route = (receiverName: string, matchers: string[], cls?: AlertClass) => ({ receiver: receiverName, matchers, ...(cls ? TIMING[cls] : {}) });
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: 'warning',
      group_by: GROUP_BY,
      group_wait: TIMING.warning.group_wait,
      group_interval: GROUP_INTERVAL,
      repeat_interval: TIMING.warning.repeat_interval,
      routes: [
        route(NULL_RECEIVER, ['alertname=~"Watchdog|InfoInhibitor"']),
        route(NULL_RECEIVER, ['severity="info"']),
        route('backup', [`${CATEGORY_LABEL}="${BACKUP_CATEGORY}"`], 'backup'),
        route('critical', ['severity="critical"'], 'critical'),
        route('warning', ['severity="warning"'], 'warning'),
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['alertname="InfoInhibitor"'], target_matchers: ['severity="info"'], equal: ['namespace'] },
      ...alertInhibitions(env).map((i) => ({
        source_matchers: [`alertname="${i.source}"`],
        target_matchers: [`alertname=~"${i.targets.join('|')}"`],
        equal: i.equal,
      })),
    ],
    receivers: [{ name: NULL_RECEIVER }, ...ALERT_CLASSES.map((cls) => receiver(env, cls))],
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}

/** The Secrets the chart mounts into Alertmanager (`alertmanagerSpec.secrets`): the receivers' one, when a channel is used. */
export function alertmanagerSecretNames(env: Environment): string[] {
  return secretKeys(env).length > 0 ? [env.monitoring.alerting.secretName] : [];
}

/** The receivers' Secret as an ExternalSecret; nothing when no channel needs a credential or Secrets are made by hand. */
export function alertmanagerSecret(env: Environment): KubernetesObject[] {
  if (!stackEnabled(env)) return [];
  const keys = secretKeys(env).map((key) => ({ secretKey: key, remote: ALERTMANAGER_REMOTE, property: key }));
  if (keys.length === 0) return [];
  return externalSecrets(env, { name: env.monitoring.alerting.secretName, keys });
}

/** The receivers' Secret with its keys, for rendered/README.md and the hand-made Secrets of `preexisting` environments. */
export function alertmanagerSecretRequirement(env: Environment): SecretRequirement[] {
  if (!stackEnabled(env)) return [];
  const keys = secretKeys(env);
  return keys.length === 0 ? [] : [{ name: env.monitoring.alerting.secretName, keys, remote: ALERTMANAGER_REMOTE }];
}
