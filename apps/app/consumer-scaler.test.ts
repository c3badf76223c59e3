// The consumer's optional KEDA scaler as rendered: off by default, the queue query, bounds and cool-down, credentials by reference, cron untouched.
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import type { NetworkPolicy } from '../lib/network.ts';
import { find, names } from '../lib/testing.ts';
import { QUEUE_DEPTH_QUERY } from './consumer-scaler.ts';
import { component } from './index.ts';

const on = (s: Record<string, unknown> = {}) => testEnvironment('prod', { app: { consumerAutoscaling: { enabled: true, ...s } } });
type ScaledObject = { spec: { minReplicaCount: number; maxReplicaCount: number; cooldownPeriod: number; pollingInterval: number; triggers: { type: string; metadata: Record<string, string>; authenticationRef: { name: string } }[] } };

describe('the consumer scaler', () => {
  it('is off by default, and the consumer keeps its fixed replicas', () => {
    const objects = component.render(testEnvironment());
    expect(names(objects).filter((n) => n.startsWith('ScaledObject') || n.startsWith('TriggerAuthentication'))).toEqual([]);
    expect(find<V1Deployment>(objects, 'Deployment', 'orocommerce-app-consumer').spec?.replicas).toBe(1);
  });

  it("scales the consumer Deployment on the queue depth within min/max, with a cool-down, leaving replicas to KEDA's HPA", () => {
    const objects = component.render(on({ minReplicas: 2, maxReplicas: 8, cooldownPeriod: 600, messagesPerReplica: 20 }));
    const so = find<ScaledObject>(objects, 'ScaledObject', 'orocommerce-app-consumer');
    expect(so.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 8, cooldownPeriod: 600, pollingInterval: 30, scaleTargetRef: { kind: 'Deployment', name: 'orocommerce-app-consumer' } });
    const [trigger] = so.spec.triggers;
    expect(trigger).toMatchObject({ type: 'postgresql', authenticationRef: { name: 'orocommerce-app-consumer-queue' } });
    expect(trigger?.metadata).toEqual({
      host: 'database-orocommerce.orocommerce-prod.svc', port: '5432', userName: 'orodbuser', dbName: 'orodb', sslmode: 'disable', query: QUEUE_DEPTH_QUERY, targetQueryValue: '20',
    });
    expect(find<V1Deployment>(objects, 'Deployment', 'orocommerce-app-consumer').spec).not.toHaveProperty('replicas');
  });

  it('reads the password from the database Secret the store fills, never a value', () => {
    const auth = find<{ spec: unknown }>(component.render(on()), 'TriggerAuthentication', 'orocommerce-app-consumer-queue');
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'database-orocommerce-credentials', key: 'password' }] });
  });

  it('lets the KEDA operator, and only it, reach the database port', () => {
    const policy = find<NetworkPolicy>(component.render(on({ operator: { namespace: 'autoscaling' } })), 'NetworkPolicy', 'allow-keda-to-database');
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'autoscaling' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keda-operator' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
  });

  it('never scales cron, which stays exactly one', () => {
    const objects = component.render(on());
    expect(find<V1Deployment>(objects, 'Deployment', 'orocommerce-app-cron').spec?.replicas).toBe(1);
    expect(JSON.stringify(objects.filter((o) => o.kind === 'ScaledObject'))).not.toContain('cron');
  });

  it('refuses maxReplicas below minReplicas', () => {
    expect(() => on({ minReplicas: 4, maxReplicas: 2 })).toThrow(/maxReplicas must be ≥ minReplicas/);
  });
});
