// The ReferenceGrant that lets the platform's Gateway read the shop's certificate when it lives in the shop's namespace.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { GATEWAY_GROUP } from './http-route.ts';
import { exposedThroughGateway } from './settings.ts';

export const REFERENCE_GRANT_NAME = 'gateway-certificate';

export type ReferenceGrant = Manifest<{
  metadata: V1ObjectMeta & { name: string };
  spec: { from: { group: string; kind: string; namespace: string }[]; to: { group: string; kind: string; name?: string }[] };
}>;

/** Whether the Gateway's HTTPS listener reads Secret `tls.secretName` from this environment's namespace. */
export function gatewayReadsOurCertificate(env: Environment): boolean {
  return exposedThroughGateway(env) && env.tls.enabled && env.web.gateway.certificate !== 'gateway';
}

/**
 * A listener's `certificateRefs` may name a Secret in another namespace only where that namespace grants it:
 * this grant, in the shop's namespace, lets Gateways of the Gateway's namespace read this one Secret and
 * nothing else. None is needed when the Gateway shares the shop's namespace. `v1beta1` is served by every
 * standard-channel release (v1 only from v1.5), so it works with whichever version the platform installed.
 */
export function referenceGrants(env: Environment): ReferenceGrant[] {
  if (!gatewayReadsOurCertificate(env) || env.web.gateway.namespace === env.destination.namespace) return [];
  return [
    {
      apiVersion: `${GATEWAY_GROUP}/v1beta1`,
      kind: 'ReferenceGrant',
      metadata: { name: REFERENCE_GRANT_NAME },
      spec: {
        from: [{ group: GATEWAY_GROUP, kind: 'Gateway', namespace: env.web.gateway.namespace }],
        to: [{ group: '', kind: 'Secret', name: env.tls.secretName }],
      },
    },
  ];
}
