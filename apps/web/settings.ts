// Settings of the web component: the nginx Deployment `webserver`, the shop's public port and its Ingress.
import { z } from 'zod';
import { replicaCount, resources } from '../../scripts/lib/environment/fields.ts';

export const webSettings = z
  .strictObject({
    replicas: replicaCount.default(2),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    /** The initContainers that render nginx's configuration (nginx-init is a PHP/jq tool: short-lived, but not tiny). */
    initResources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    /**
     * The port browsers use to reach the shop; by default the scheme's own (443 with TLS, 80 without). Set it when
     * the shop is reached on another port, e.g. 8080 for `kubectl port-forward svc/webserver 8080:80`: the public URL
     * (ORO_APP_URL, the URLs restore writes) and the websocket's browser address (ORO_WEBSOCKET_FRONTEND_DSN) follow it.
     */
    publicPort: z.number().int().min(1).max(65535).optional(),
    ingress: z
      .strictObject({
        /**
         * Render the Ingresses, their certificate and the ingress controller's NetworkPolicy. Turn off where no
         * ingress controller runs (a laptop cluster reached through a port-forward): Argo CD reports an Ingress
         * Healthy only once a controller has filled its status.loadBalancer, so the web Application would stay
         * Progressing and the waves after it (monitoring) would never sync.
         */
        enabled: z.boolean().default(true),
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
