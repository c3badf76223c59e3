// Typed object builders and readers: Services are read back (name, ports) wherever another object needs their address.
import type { V1ObjectMeta, V1Service } from '@kubernetes/client-node';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';

/** Builds a client-node model with apiVersion and kind, keeping its type so callers can read fields back. */
export function typed<T extends { metadata?: V1ObjectMeta }>(
  apiVersion: string,
  kind: string,
  body: T & { metadata: V1ObjectMeta & { name: string } },
): Manifest<T> {
  return { apiVersion, kind, ...body };
}

/** A typed model as the pipeline's untyped object. */
export function untyped(o: Manifest<object>): KubernetesObject {
  return o as unknown as KubernetesObject;
}

/** The port a Service exposes under `name`; throws when a rename left a reader behind. */
export function servicePort(service: Manifest<V1Service>, name: string): number {
  const port = service.spec?.ports?.find((p) => p.name === name)?.port;
  if (port === undefined) throw new Error(`Service ${service.metadata.name} has no port named ${name}`);
  return port;
}

/** `host:port` of a Service port, as clients in the same namespace reach it. */
export function serviceAddress(service: Manifest<V1Service>, portName: string): { host: string; port: number } {
  return { host: service.metadata.name, port: servicePort(service, portName) };
}
