// Settings of the pvcs component: one entry per shared Oro volume, keyed by the PVC name (seed 000), and the namespace's guardrails (network policy, LimitRange, ResourceQuota).
import { z } from 'zod';
import { resources, storageClassName, volume } from '../../scripts/lib/environment/fields.ts';

const labels = z.record(z.string(), z.string());
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/8');
const port = z.number().int().min(1).max(65535);

export const pvcsSettings = z
  .strictObject({
    /** Storage class for every volume that does not name its own; the cluster default when absent. */
    storageClassName: storageClassName.optional(),
    /**
     * Sizes follow the seed's table. Access modes default to ReadWriteMany because several workloads
     * (php-fpm with an HPA, nginx, websocket, consumer, cron) mount the same volumes on different nodes;
     * a single-node environment (`topology.singleNode: true`) may use ReadWriteOnce.
     */
    'pvc-oro-app': volume({ size: '10Gi', accessMode: 'ReadWriteMany' }),
    'pvc-cache': volume({ size: '5Gi', accessMode: 'ReadWriteMany' }),
    'pvc-public-storage': volume({ size: '20Gi', accessMode: 'ReadWriteMany' }),
    'pvc-private-storage': volume({ size: '10Gi', accessMode: 'ReadWriteMany' }),
    'pvc-maintenance': volume({ size: '1Gi', accessMode: 'ReadWriteMany' }),
    /** Peers of the namespace's default-deny NetworkPolicy (a CNI that enforces policies is assumed). */
    network: z
      .strictObject({
        /** Where the ingress controller that reaches the webserver runs. */
        ingressController: z
          .strictObject({
            namespace: z.string().min(1).default('ingress-nginx'),
            podLabels: labels.default({ 'app.kubernetes.io/name': 'ingress-nginx' }),
          })
          .prefault({}),
        /** The Prometheus that scrapes the exporters; its namespace defaults to the environment's (monitoring.stack). */
        prometheus: z
          .strictObject({
            namespace: z.string().min(1).optional(),
            podLabels: labels.default({ 'app.kubernetes.io/name': 'prometheus' }),
          })
          .prefault({}),
        /**
         * The Kubernetes API server, for the wait-for-init-jobs initContainers. Its address differs per
         * cluster (and NetworkPolicy sees it after the Service's DNAT), so narrow the CIDR where it is known.
         */
        apiServer: z
          .strictObject({ cidrs: z.array(cidr).min(1).default(['0.0.0.0/0']), ports: z.array(port).min(1).default([443, 6443]) })
          .prefault({}),
        /**
         * Outside the cluster: the payment and shipping APIs the PHP side calls (HTTPS). The SMTP relay's port,
         * `app.mailer.port`, is opened on top of `ports` whenever `app.mailer.host` is set.
         */
        external: z
          .strictObject({ cidrs: z.array(cidr).default(['0.0.0.0/0']), ports: z.array(port).default([443]) })
          .prefault({}),
      })
      .prefault({}),
    /** D-12: the LimitRange `orocommerce-defaults`; its per-container `max` is derived from the rendered workloads. */
    limitRange: z
      .strictObject({
        /**
         * Requests and limits of a container that sets none: the chart's operator, kube-state-metrics,
         * Grafana sidecars and config reloaders, or anything started by hand. Small Go and Python processes.
         */
        containerDefaults: resources({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } }),
      })
      .prefault({}),
    /** D-12: the ResourceQuota `orocommerce-quota`, derived from every workload at its worst case (apps/pvcs/quota.ts). */
    quota: z
      .strictObject({
        /** Off where the cluster's administrators own the namespace's quota. */
        enabled: z.boolean().default(true),
        /**
         * Added to the derived worst case, for what no manifest shows: pods still terminating while their
         * replacements start, a Job pod retried beside its failed one, a debugging pod started by hand.
         */
        headroomPercent: z.number().int().min(0).max(100).default(25),
      })
      .prefault({}),
  })
  .prefault({});
