// The web component (wave 6): nginx `webserver` with its rendered config, Service, Ingress, PDB and certificate, and the ingress controller's way in.
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
import { webIngress, websocketIngress } from './ingress.ts';
import { HTTP_PORT, WEB_SERVICE_NAME, webSelector, webService } from './service.ts';

function ingressControllerPolicy(env: Environment): KubernetesObject {
  const controller = env.pvcs.network.ingressController;
  return untyped(
    networkPolicy('allow-ingress-controller', podsWith(webSelector(env)), {
      ingress: [{ from: [podsIn(controller.namespace, controller.podLabels)], ports: tcp(HTTP_PORT.containerPort) }],
    }),
  );
}

/**
 * The way in from outside: the Ingresses, their certificate, and the NetworkPolicy that admits the ingress
 * controller. Without an Ingress (`web.ingress.enabled: false`) all of it goes: no controller should reach nginx
 * then, and a `kubectl port-forward` enters the pod through the kubelet, which NetworkPolicies do not filter.
 */
function ingressObjects(env: Environment): KubernetesObject[] {
  if (!env.web.ingress.enabled) return [];
  return [untyped(webIngress(env)), untyped(websocketIngress(env)), ...tlsCertificate(env), ingressControllerPolicy(env)];
}

export const component: Component = {
  name: 'web',
  wave: WAVES.web,
  description: 'nginx Deployment webserver with its nginx.conf ConfigMap, Service, Ingresses (/ and /ws) and PodDisruptionBudget',
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
      ...ingressObjects(env),
    ];
  },
};
