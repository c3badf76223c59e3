// Settings of the monitoring component: kube-prometheus-stack plus OroCommerce's monitors and rules.
import { z } from 'zod';
import { image, pinnedTag, resources, volume } from '../../scripts/lib/environment/fields.ts';

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits, `-`)');
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'a Secret data key');

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
