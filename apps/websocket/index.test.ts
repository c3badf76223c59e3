// The websocket component: the server on 8080, its Service, probes, waiter and the one-replica rule.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { containerOf, devEnvironment, find, names, podSpecOf } from '../lib/testing.ts';
import { component } from './index.ts';

const render = (env = testEnvironment()) => component.render(env);
const deployment = (env = testEnvironment()) => find<V1Deployment>(render(env), 'Deployment', 'orocommerce-websocket');
const server = (env = testEnvironment()) => containerOf(podSpecOf(deployment(env)), 'websocket');

describe('websocket component', () => {
  it('is wave 4 and renders the server, its Service, account, waiter binding and policies', () => {
    expect(component.wave).toBe(4);
    expect(names(render()).sort()).toEqual([
      'Deployment/orocommerce-websocket',
      'NetworkPolicy/allow-egress-to-websocket',
      'NetworkPolicy/allow-to-websocket',
      'RoleBinding/orocommerce-websocket-job-waiter',
      'Service/orocommerce-websocket-ws',
      'ServiceAccount/orocommerce-websocket',
    ]);
  });

  it('runs `websocket` on 8080 (not the seed 80: www-data cannot bind it)', () => {
    expect(server().args).toEqual(['websocket']);
    expect(server().ports).toEqual([{ name: 'websocket', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('is reached through Service orocommerce-websocket-ws, 8080 → 8080', () => {
    const svc = find<V1Service>(render(), 'Service', 'orocommerce-websocket-ws');
    expect(svc.spec?.ports).toEqual([{ name: 'websocket', port: 8080, targetPort: 'websocket', protocol: 'TCP' }]);
    expect(svc.spec?.selector).toEqual(deployment().spec?.selector.matchLabels);
  });

  it('probes with TCP connects', () => {
    for (const probe of [server().startupProbe, server().readinessProbe, server().livenessProbe]) expect(probe?.tcpSocket?.port).toBe('websocket');
  });

  it('waits for the init jobs and reaps its children through a shared process namespace', () => {
    const pod = podSpecOf(deployment());
    expect(pod.initContainers?.map((c) => c.name)).toEqual(['wait-created-volume-init', 'wait-created-oro-upgrade-backup', 'wait-created-oro-maintenance-on', 'wait-created-oro-install', 'wait-created-oro-cache-warmup', 'wait-created-oro-maintenance-off', 'wait-for-init-jobs']);
    expect(pod.shareProcessNamespace).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('runs one replica on a single node as in prod, with the resources of the settings', () => {
    expect(deployment(devEnvironment()).spec?.replicas).toBe(1);
    expect(server().resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '300m', memory: '256Mi' } });
  });

  it('refuses a second replica, which would miss the messages published to the first', () => {
    expect(() => testEnvironment('prod', { websocket: { replicas: 2 } })).toThrow(/subscriptions in memory/);
  });

  it('admits the shop pods on 8080', () => {
    const policy = find<NetworkPolicy>(render(), 'NetworkPolicy', 'allow-to-websocket');
    expect(policy.spec.ingress?.[0]?.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });
});
