// Settings of the web component: the nginx Deployment `webserver` and its Ingress.
import { z } from 'zod';
import { positiveInt, resources } from '../../scripts/lib/environment/fields.ts';

export const webSettings = z
  .strictObject({
    replicas: positiveInt.default(2),
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }),
    ingress: z
      .strictObject({
        /** IngressClass that serves the shop. */
        className: z.string().min(1).default('nginx'),
        /** Extra Ingress annotations (for example a cert-manager cluster issuer). */
        annotations: z.record(z.string(), z.string()).default({}),
      })
      .prefault({}),
  })
  .prefault({});
