// Settings of the web component: the nginx Deployment `webserver` and its Ingress.
import { z } from 'zod';
import { positiveInt, resources } from '../../scripts/lib/environment/fields.ts';

export const webSettings = z
  .strictObject({
    replicas: positiveInt.default(2),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    /** The initContainers that render nginx's configuration (nginx-init is a PHP/jq tool: short-lived, but not tiny). */
    initResources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    ingress: z
      .strictObject({
        /** IngressClass that serves the shop. */
        className: z.string().min(1).default('nginx'),
        /** Extra Ingress annotations (for example a cert-manager cluster issuer); they win over the defaults. */
        annotations: z.record(z.string(), z.string()).default({}),
        /** Largest request body (product images, imports); ingress-nginx's own default of 1m breaks uploads. */
        proxyBodySize: z.string().regex(/^\d+[kmg]?$/, 'an nginx size such as 64m').default('64m'),
        /** Seconds an idle websocket connection on /ws stays open (the rest of the shop keeps the controller's default). */
        websocketTimeoutSeconds: z.number().int().min(60).default(3600),
        /**
         * Fetch the certificate `tls.secretName` from the secret store (provider external-secrets). Turn off when
         * cert-manager issues it (add its annotation above): two owners of one Secret would fight.
         */
        tlsFromSecretStore: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});
