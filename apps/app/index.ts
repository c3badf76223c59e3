// The app component (wave 3): php-fpm with its Service, HPA and PDB, the consumer and cron, and who may reach php-fpm.
import type { Component } from '../../scripts/lib/component.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { KubernetesObject } from '../../scripts/lib/k8s.ts';
import { disruptionBudget } from '../lib/availability.ts';
import { edge, podsWith } from '../lib/network.ts';
import { untyped } from '../lib/objects.ts';
import { serviceAccount } from '../lib/security.ts';
import { jobWaiterBinding } from '../lib/waiter.ts';
import { webSelector } from '../web/service.ts';
import { WAVES } from '../waves.ts';
import { CONSUMER_NAME, consumerDeployment, consumerSelector } from './consumer.ts';
import { consumerScaler, withScaledReplicas } from './consumer-scaler.ts';
import { CRON_NAME, cronDeployment, cronSelector } from './cron.ts';
import { phpFpmAutoscaler } from './hpa.ts';
import { PHP_FPM_NAME, phpFpmDeployment } from './php-fpm.ts';
import { FASTCGI_PORT, phpFpmSelector, phpFpmService } from './php-fpm-service.ts';

function phpFpm(env: Environment): KubernetesObject[] {
  const selector = phpFpmSelector(env);
  return [
    untyped(serviceAccount(PHP_FPM_NAME, selector)),
    untyped(jobWaiterBinding(PHP_FPM_NAME)),
    untyped(phpFpmDeployment(env)),
    untyped(phpFpmService(env)),
    untyped(phpFpmAutoscaler(env)),
    untyped(disruptionBudget(PHP_FPM_NAME, selector)),
    // nginx is php-fpm's only client.
    ...edge('php-fpm', podsWith(webSelector(env)), podsWith(selector), [FASTCGI_PORT.containerPort]).map(untyped),
  ];
}

function consumer(env: Environment): KubernetesObject[] {
  const selector = consumerSelector(env);
  const pdb = env.app.consumer.replicas > 1 ? [disruptionBudget(CONSUMER_NAME, selector)] : [];
  return [
    untyped(serviceAccount(CONSUMER_NAME, selector)),
    untyped(jobWaiterBinding(CONSUMER_NAME)),
    untyped(withScaledReplicas(env, consumerDeployment(env))),
    ...pdb.map(untyped),
  ];
}

function cron(env: Environment): KubernetesObject[] {
  return [untyped(serviceAccount(CRON_NAME, cronSelector(env))), untyped(jobWaiterBinding(CRON_NAME)), untyped(cronDeployment(env))];
}

export const component: Component = {
  name: 'app',
  wave: WAVES.app,
  description: 'php-fpm (Service, HPA, PDB), the message-queue consumer and cron',
  render: (env) => [...phpFpm(env), ...consumer(env), ...consumerScaler(env), ...cron(env)],
};
