// The websocket component (wave 4): the websocket server, its Service, and who may reach it.
import type { Component } from '../../scripts/lib/component.ts';
import { edge, OROCOMMERCE_PODS, podsWith } from '../lib/network.ts';
import { untyped } from '../lib/objects.ts';
import { serviceAccount } from '../lib/security.ts';
import { jobWaiterBinding } from '../lib/waiter.ts';
import { WAVES } from '../waves.ts';
import { WEBSOCKET_NAME, websocketDeployment } from './deployment.ts';
import { WEBSOCKET_PORT, websocketSelector, websocketService } from './service.ts';

export const component: Component = {
  name: 'websocket',
  wave: WAVES.websocket,
  description: 'Oro websocket server Deployment and its Service orocommerce-websocket-ws (8080)',
  render: (env) => [
    untyped(serviceAccount(WEBSOCKET_NAME, websocketSelector(env))),
    untyped(jobWaiterBinding(WEBSOCKET_NAME)),
    untyped(websocketDeployment(env)),
    untyped(websocketService(env)),
    // nginx proxies browsers' /ws here; the PHP side publishes here.
    ...edge('websocket', OROCOMMERCE_PODS, podsWith(websocketSelector(env)), [WEBSOCKET_PORT.containerPort]).map(untyped),
  ],
};
