// The websocket-alias component (wave 5): Service orocommerce-websocket, the name nginx's websocket upstream uses.
import type { Component } from '../../scripts/lib/component.ts';
import { untyped } from '../lib/objects.ts';
import { WAVES } from '../waves.ts';
import { websocketAliasService } from './service.ts';

export const component: Component = {
  name: 'websocket-alias',
  wave: WAVES['websocket-alias'],
  description: 'Service orocommerce-websocket: alias of the websocket Service for the webserver',
  render: (env) => [untyped(websocketAliasService(env))],
};
