// Typed object builders and readers: Services are read back (name, ports) wherever another object needs their address.
import type { V1ContainerPort, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { typed } from '../../scripts/lib/k8s.ts';
import type { KubernetesObject, Manifest } from '../../scripts/lib/k8s.ts';

export { typed } from '../../scripts/lib/k8s.ts';

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

/** A Service port that targets the container port of the same name (so a renumbered container port follows). */
export function servicePortFor(port: V1ContainerPort & { name: string }, exposedAs = port.containerPort): V1ServicePort {
  return { name: port.name, port: exposedAs, targetPort: port.name, protocol: 'TCP' };
}

/** A ClusterIP Service selecting `selector`, labelled with it so ServiceMonitors can find it. */
export function clusterIpService(name: string, selector: Record<string, string>, ports: V1ServicePort[]): Manifest<V1Service> {
  return typed<V1Service>('v1', 'Service', {
    metadata: { name, labels: { ...selector } },
    spec: { type: 'ClusterIP', selector, ports },
  });
}
