// Settings of the monitoring component: kube-prometheus-stack plus OroCommerce's monitors and rules.
import { z } from 'zod';
import { image, pinnedTag, resources, volume } from '../../scripts/lib/environment/fields.ts';

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits, `-`)');
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret data key');
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/16');
const port = z.number().int().min(1).max(65535);
const email = z.string().regex(/^[^@\s,]+@[^@\s,]+$/, 'an e-mail address such as ops@example.com');

/** The notification channels Alertmanager can reach; each one's credential comes from the receivers' Secret. */
export const CHANNELS = ['webhook', 'slack', 'email', 'pagerduty'] as const;
export type Channel = (typeof CHANNELS)[number];
/** The classes of alert the route tells apart. */
export const ALERT_CLASSES = ['critical', 'warning', 'backup'] as const;
export type AlertClass = (typeof ALERT_CLASSES)[number];

const alertingSettings = z
  .strictObject({
    /**
     * Which channels each class of alert reaches: `critical` (severity critical, pages), `warning`
     * (severity warning), `backup` (the nightly database backup's alerts, whatever their severity). An
     * empty list (the default) delivers that class nowhere, as the chart's `null` receiver did.
     */
    routes: z
      .strictObject({
        critical: z.array(z.enum(CHANNELS)).default([]),
        warning: z.array(z.enum(CHANNELS)).default([]),
        backup: z.array(z.enum(CHANNELS)).default([]),
      })
      .prefault({}),
    /**
     * Secret with the channels' credentials, from the secret store (remote `<remotePrefix>/alertmanager`,
     * properties named like its keys) or created by hand; mounted into Alertmanager and read through
     * its `*_file` fields, so no credential is ever in git or in the chart values. Keys, only for the
     * channels used: `webhook-url`, `slack-api-url`, `smtp-auth-password` (with `email.authUsername`),
     * `pagerduty-routing-key`.
     */
    secretName: dnsLabel.default('monitoring-alertmanager-receivers'),
    /** An HTTP(S) endpoint that receives Alertmanager's JSON (its URL is the `webhook-url` key); `port` opens its egress. */
    webhook: z.strictObject({ port: port.default(443) }).optional(),
    /** A Slack channel behind an incoming webhook (the `slack-api-url` key). */
    slack: z.strictObject({ channel: z.string().regex(/^[#@]?[\w.-]+$/, 'a Slack channel such as #oro-alerts') }).optional(),
    /** Mail through an SMTP relay; `requireTls` is STARTTLS. */
    email: z
      .strictObject({
        to: z.array(email).min(1),
        from: email,
        /** `host:port` of the relay; the port also opens its egress. */
        smarthost: z.string().regex(/^[a-z0-9.-]+:\d{1,5}$/, 'host:port, such as smtp.example.com:587'),
        /** SMTP login; its password is the `smtp-auth-password` key. Unset: no authentication. */
        authUsername: z.string().min(1).optional(),
        requireTls: z.boolean().default(true),
      })
      .optional(),
    /** PagerDuty Events API v2 (the integration's routing key is the `pagerduty-routing-key` key); `{}` turns it on. */
    pagerduty: z.strictObject({}).optional(),
    /**
     * Where Alertmanager may connect to (the channels' ports are derived from the settings above).
     * Unset: `pvcs.network.external.cidrs`, the addresses the shop's own outside calls may reach (when
     * that list is empty, set this one, or Alertmanager gets no way out).
     */
    egressCidrs: z.array(cidr).min(1).optional(),
    /**
     * The longest a database backup may be old before OroBackupTooOld fires: the schedule's interval
     * plus `db.backup.activeDeadlineSeconds` and some slack (a daily backup: 26h).
     */
    backupMaxAge: z.string().regex(/^\d+h$/, 'hours, such as 26h').default('26h'),
  })
  .superRefine((a, ctx) => {
    for (const cls of ALERT_CLASSES) {
      a.routes[cls].forEach((channel, i) => {
        if (a[channel] === undefined) {
          ctx.addIssue({ code: 'custom', path: ['routes', cls, i], message: `names ${channel}, which has no settings: add monitoring.alerting.${channel}` });
        }
      });
    }
  })
  .prefault({});

export const monitoringSettings = z
  .strictObject({
    /** Renders ServiceMonitors, rules and the dashboard, and the stack below when it is enabled. */
    enabled: z.boolean().default(true),
    /** How often Prometheus scrapes the exporters. */
    scrapeInterval: z.string().regex(/^\d+[smh]$/).default('30s'),
    stack: z
      .strictObject({
        /** Installs kube-prometheus-stack in this environment's namespace; turn off where the cluster already runs one. */
        enabled: z.boolean().default(true),
        // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
        chartVersion: pinnedTag.default('92.1.0'),
        retention: z.string().regex(/^\d+[smhdwy]$/).default('15d'),
        /**
         * Node addresses Prometheus may reach on the kubelet port (PVC usage, container metrics). The
         * namespace denies all egress by default; narrow this to the node CIDR where it is known.
         */
        kubeletCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/16')).min(1).default(['0.0.0.0/0']),
        prometheus: z
          .strictObject({
            /** TSDB volume; without one a restarted Prometheus forgets the whole retention window. */
            storage: volume({ size: '20Gi', accessMode: 'ReadWriteOnce' }),
            resources: resources({ requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } }),
          })
          .prefault({}),
        alertmanager: z
          .strictObject({
            resources: resources({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } }),
          })
          .prefault({}),
        grafana: z
          .strictObject({
            resources: resources({ requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }),
            /** Existing Secret with Grafana's admin login; created by the secret store or out of band, never by this repo. */
            adminSecret: z
              .strictObject({
                name: dnsLabel.default('monitoring-grafana-admin'),
                userKey: secretKey.default('admin-user'),
                passwordKey: secretKey.default('admin-password'),
              })
              .prefault({}),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * Where Alertmanager sends alerts and the credentials it reads (used when `stack.enabled`), and the
     * backup alert's age limit (used wherever the rules are rendered).
     */
    alerting: alertingSettings,
    exporters: z
      .strictObject({
        // renovate: datasource=docker depName=hipages/php-fpm_exporter
        phpFpm: image({ repository: 'hipages/php-fpm_exporter', tag: '2.2.0' }),
        // renovate: datasource=docker depName=nginx/nginx-prometheus-exporter
        nginx: image({ repository: 'nginx/nginx-prometheus-exporter', tag: '1.5.3' }),
        // renovate: datasource=docker depName=prometheuscommunity/postgres-exporter
        postgres: image({ repository: 'prometheuscommunity/postgres-exporter', tag: 'v0.20.1' }),
        /** Each exporter is a tiny Go process; one budget fits all three. */
        resources: resources({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }),
      })
      .prefault({}),
  })
  .prefault({});
