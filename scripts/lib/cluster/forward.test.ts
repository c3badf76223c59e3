// Which pod and port a forwarded connection goes to.
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { resolveBackend } from './forward.ts';

const service = { metadata: { name: 'database-orocommerce' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 'postgresql' }] } } as unknown as V1Service;
const pod = (name: string, ready: boolean, extra: Partial<V1Pod['metadata']> = {}): V1Pod =>
  ({
    metadata: { name, labels: { app: 'db' }, ...extra },
    spec: { containers: [{ name: 'pg', ports: [{ name: 'postgresql', containerPort: 5433 }] }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }) as V1Pod;

describe('resolveBackend', () => {
  it('picks a ready pod and resolves a named target port to the container port', () => {
    expect(resolveBackend(service, [pod('db-0', false), pod('db-1', true)], 5432)).toEqual({ pod: 'db-1', port: 5433 });
  });

  it('skips terminating pods, so a restart is followed by the next connection', () => {
    expect(resolveBackend(service, [pod('db-0', true, { deletionTimestamp: new Date() }), pod('db-1', true)], 5432)).toEqual({ pod: 'db-1', port: 5433 });
  });

  it('says why there is no backend', () => {
    expect(resolveBackend(service, [pod('db-0', false)], 5432)).toEqual({ error: 'no ready pod behind Service database-orocommerce' });
    expect(resolveBackend(service, [], 80)).toEqual({ error: 'Service database-orocommerce has no port 80' });
  });

  it('uses a numeric target port as is', () => {
    const web = { metadata: { name: 'webserver' }, spec: { selector: { app: 'db' }, ports: [{ port: 80, targetPort: 8080 }] } } as unknown as V1Service;
    expect(resolveBackend(web, [pod('w', true)], 80)).toEqual({ pod: 'w', port: 8080 });
  });
});
