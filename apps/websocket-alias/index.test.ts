// The websocket-alias component: Service orocommerce-websocket, a copy of the websocket Service's selector and ports.
import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { find, names } from '../lib/testing.ts';
import { websocketService } from '../websocket/service.ts';
import { component } from './index.ts';

describe('websocket-alias component', () => {
  const env = testEnvironment();
  const alias = find<V1Service>(component.render(env), 'Service', 'orocommerce-websocket');

  it('is wave 5 and renders only the alias Service', () => {
    expect(component.wave).toBe(5);
    expect(names(component.render(env))).toEqual(['Service/orocommerce-websocket']);
  });

  it('selects the websocket pods on 8080, exactly as the websocket Service does', () => {
    expect(alias.spec?.selector).toEqual(websocketService(env).spec?.selector);
    expect(alias.spec?.ports).toEqual(websocketService(env).spec?.ports);
    expect(alias.spec?.ports?.[0]?.port).toBe(8080);
  });

  it('carries labels of its own component, so monitors never mistake it for the real Service', () => {
    expect(alias.metadata?.labels?.['app.kubernetes.io/component']).toBe('websocket-alias');
  });
});
