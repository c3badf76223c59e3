// Settings of the monitoring component: kube-prometheus-stack plus OroCommerce's monitors and rules.
import { z } from 'zod';
import { pinnedTag } from '../../scripts/lib/environment/fields.ts';

export const monitoringSettings = z
  .strictObject({
    /** Renders ServiceMonitors, rules and the dashboard, and the stack below when it is enabled. */
    enabled: z.boolean().default(true),
    stack: z
      .strictObject({
        /** Installs kube-prometheus-stack in this environment's namespace; turn off where the cluster already runs one. */
        enabled: z.boolean().default(true),
        // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
        chartVersion: pinnedTag.default('77.0.0'),
        retention: z.string().regex(/^\d+[smhdwy]$/).default('15d'),
      })
      .prefault({}),
  })
  .prefault({});
