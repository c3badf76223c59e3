// Settings of the web component: the nginx Deployment `webserver`, the shop's public port and how it is exposed (Gateway API, Ingress or nothing).
import { z } from 'zod';

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits, `-`)');
import { replicaCount, resources } from '../../scripts/lib/environment/fields.ts';

export const webSettings = z
  .strictObject({
    replicas: replicaCount.default(2),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    /**
     * nginx's `client_max_body_size`: the largest upload (product images, imports) nginx accepts, whatever proxy
     * is in front of it (keep `ingress.proxyBodySize` at least as large). nginx's own default, 1m, breaks uploads.
     */
    clientMaxBodySize: z.string().regex(/^\d+[kmg]?$/, 'an nginx size such as 64m').default('64m'),
    /**
     * The port browsers use to reach the shop; by default the scheme's own (443 with TLS, 80 without). Set it when
     * the shop is reached on another port, e.g. 8080 for `kubectl port-forward svc/webserver 8080:80`: the public URL
     * (ORO_APP_URL, the URLs restore writes) and the websocket's browser address (ORO_WEBSOCKET_FRONTEND_DSN) follow it.
     */
    publicPort: z.number().int().min(1).max(65535).optional(),
    /**
     * How the shop is reached from outside the cluster: `gateway-api` (HTTPRoutes attached to the platform's Gateway,
     * `web.gateway`), `ingress` (two Ingresses for an ingress controller, `web.ingress`), or `none` (no way in is
     * rendered: a laptop cluster reached through `kubectl port-forward`). Only the chosen one's settings are used.
     * `both` renders the routes and the Ingresses side by side: the step of a migration while DNS moves over.
     */
    exposure: z.enum(['gateway-api', 'ingress', 'both', 'none']).default('gateway-api'),
    /**
     * Seconds a websocket connection on /ws may stay open. Ingress: ingress-nginx's read and send timeouts of the /ws
     * Ingress (an idle limit). Gateway API: the standard request timeout of the /ws route, which bounds the whole
     * connection (after it the browser has to reconnect); the implementation's own idle timeouts apply below it.
     */
    websocketTimeoutSeconds: z.number().int().min(60).max(86400).default(3600),
    gateway: z
      .strictObject({
        /** The Gateway the platform team runs for this cluster; the shop's HTTPRoutes attach to it (`parentRefs`). */
        name: dnsLabel.default('public'),
        namespace: dnsLabel.default('gateway-system'),
        /**
         * The listener the shop's routes attach to (its `sectionName`): the HTTPS one when `tls.enabled`. Without it
         * they attach to every listener of the Gateway that accepts the domain.
         */
        sectionName: dnsLabel.optional(),
        /**
         * The Gateway's plain-HTTP listener, when it has one beside `sectionName`: a route there answers every request
         * with a 301 to HTTPS. Needs `sectionName` and `tls.enabled`.
         */
        redirectSectionName: dnsLabel.optional(),
        /**
         * Where the HTTPS listener's certificate lives. `gateway`: with the Gateway, the platform team's (nothing is
         * rendered here). `secret-store`: Secret `tls.secretName` in this namespace, fetched from the secret store;
         * `namespace`: the same Secret made by other means (cert-manager, by hand). For both, a ReferenceGrant lets
         * the Gateway's namespace read it, and the platform's listener names it in `certificateRefs`.
         */
        certificate: z.enum(['gateway', 'secret-store', 'namespace']).default('gateway'),
        /**
         * The Gateway's data-plane pods, which the webserver's NetworkPolicy admits. By default the pods in the
         * Gateway's namespace labelled `gateway.networking.k8s.io/gateway-name: <name>` (GEP-1762); Envoy Gateway
         * runs them in `envoy-gateway-system` with `gateway.envoyproxy.io/owning-gateway-name: <name>`.
         */
        dataPlane: z
          .strictObject({ namespace: dnsLabel.optional(), podLabels: z.record(z.string(), z.string()).optional() })
          .prefault({}),
      })
      .prefault({}),
    ingress: z
      .strictObject({
        /** IngressClass that serves the shop. */
        className: z.string().min(1).default('nginx'),
        /** Extra Ingress annotations (for example a cert-manager cluster issuer); they win over the defaults. */
        annotations: z.record(z.string(), z.string()).default({}),
        /** Largest request body (product images, imports); ingress-nginx's own default of 1m breaks uploads. */
        proxyBodySize: z.string().regex(/^\d+[kmg]?$/, 'an nginx size such as 64m').default('64m'),
        /**
         * Fetch the certificate `tls.secretName` from the secret store (provider external-secrets). Turn off when
         * cert-manager issues it (add its annotation above): two owners of one Secret would fight.
         */
        tlsFromSecretStore: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});

type Exposure = { web: { exposure: z.output<typeof webSettings>['exposure'] } };

/** Whether the environment renders the HTTPRoutes (and what goes with them). */
export function exposedThroughGateway(env: Exposure): boolean {
  return env.web.exposure === 'gateway-api' || env.web.exposure === 'both';
}

/** Whether the environment renders the Ingresses (and what goes with them). */
export function exposedThroughIngress(env: Exposure): boolean {
  return env.web.exposure === 'ingress' || env.web.exposure === 'both';
}
