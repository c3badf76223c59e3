// The web component (wave 6): nginx `webserver` with its rendered config, Service and PDB, and the way in: HTTPRoutes on the platform's Gateway, Ingresses, or none.
import type { Component } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { disruptionBudget } from '../lib/availability.ts';
import { networkPolicy, podsIn, podsWith, tcp } from '../lib/network.ts';
import { untyped } from '../lib/objects.ts';
import { tlsCertificate } from '../lib/secrets.ts';
import { serviceAccount } from '../lib/security.ts';
import { jobWaiterBinding } from '../lib/waiter.ts';
import { WAVES } from '../waves.ts';
import { nginxConfigMap } from './configmap.ts';
import { webDeployment } from './deployment.ts';
import { httpRoutes } from './http-route.ts';
import { webIngress, websocketIngress } from './ingress.ts';
import { referenceGrants } from './reference-grant.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webSelector, webService } from './service.ts';
import { exposedThroughGateway, exposedThroughIngress } from './settings.ts';

function ingressControllerPolicy(env: Environment): KubernetesObject {
  const controller = env.pvcs.network.ingressController;
  return untyped(
    networkPolicy('allow-ingress-controller', podsWith(webSelector(env)), {
      ingress: [{ from: [podsIn(controller.namespace, controller.podLabels)], ports: tcp(HTTP_PORT.containerPort) }],
    }),
  );
}

/** The Gateway's data-plane pods (`web.gateway.dataPlane`, GEP-1762's gateway-name label by default) may reach nginx. */
function gatewayPolicy(env: Environment): KubernetesObject {
  const { name, namespace, dataPlane } = env.web.gateway;
  const labels = dataPlane.podLabels ?? { 'gateway.networking.k8s.io/gateway-name': name };
  return untyped(
    networkPolicy('allow-gateway', podsWith(webSelector(env)), {
      ingress: [{ from: [podsIn(dataPlane.namespace ?? namespace, labels)], ports: tcp(HTTP_PORT.containerPort) }],
    }),
  );
}

/**
 * The way in from outside, as `web.exposure` says: the HTTPRoutes (with the ReferenceGrant when the Gateway reads
 * the certificate from here), the Ingresses, or both while a migration moves DNS over; the certificate when this
 * namespace holds it; and for each proxy the NetworkPolicy that admits it. With `none` all of it goes: nothing
 * outside should reach nginx then, and a `kubectl port-forward` enters the pod through the kubelet, which
 * NetworkPolicies do not filter.
 */
export function wayIn(env: Environment): KubernetesObject[] {
  const gateway = exposedThroughGateway(env) ? [...httpRoutes(env).map(untyped), ...referenceGrants(env).map(untyped)] : [];
  const ingress = exposedThroughIngress(env) ? [untyped(webIngress(env)), untyped(websocketIngress(env))] : [];
  const policies = [...(exposedThroughGateway(env) ? [gatewayPolicy(env)] : []), ...(exposedThroughIngress(env) ? [ingressControllerPolicy(env)] : [])];
  // Kept in the order the Ingress-only render always had: Ingresses, certificate, policy.
  return [...gateway, ...ingress, ...tlsCertificate(env), ...policies];
}

export const component: Component = {
  name: 'web',
  wave: WAVES.web,
  description: 'nginx Deployment webserver with its nginx.conf ConfigMap, Service, PodDisruptionBudget and way in (HTTPRoutes or Ingresses for / and /ws)',
  render: (env) => {
    const selector = webSelector(env);
    const pdb = env.web.replicas > 1 ? [disruptionBudget(WEB_SERVICE_NAME, selector)] : [];
    return [
      untyped(serviceAccount(WEB_SERVICE_NAME, selector)),
      untyped(jobWaiterBinding(WEB_SERVICE_NAME)),
      untyped(nginxConfigMap(env)),
      untyped(webDeployment(env)),
      untyped(webService(env)),
      ...pdb.map(untyped),
      ...wayIn(env),
    ];
  },
};
