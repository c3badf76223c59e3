// `npm run forward`: the port-forwards of the original design in one command. client-node forwards to pods, so
// every new connection resolves its Service to a ready pod afresh: a restarted pod is picked up by the next connection.
import net from 'node:net';
import { PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import type { Cluster } from './client.ts';

export interface ForwardSpec {
  /** Short name for --port and the printed lines. */
  name: string;
  service: string;
  servicePort: number;
  localPort: number;
  /** What to open, printed once listening. */
  url: (port: number) => string;
}

/**
 * The four forwards of the original design (README "dev on a laptop"). Grafana's and Prometheus's Services come from
 * the kube-prometheus-stack chart (release `monitoring`, `fullnameOverride: prometheus`), so they are not in rendered/.
 */
export const FORWARDS: readonly ForwardSpec[] = [
  { name: 'shop', service: 'webserver', servicePort: 80, localPort: 8080, url: (p) => `http://oro.localhost:${p} (back office /admin)` },
  { name: 'grafana', service: 'monitoring-grafana', servicePort: 80, localPort: 3000, url: (p) => `http://localhost:${p}` },
  { name: 'prometheus', service: 'prometheus-prometheus', servicePort: 9090, localPort: 9090, url: (p) => `http://localhost:${p}` },
  { name: 'postgresql', service: 'database-orocommerce', servicePort: 5432, localPort: 5432, url: (p) => `postgresql://localhost:${p}` },
];

function isReady(p: V1Pod): boolean {
  return !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod and container port a connection to `service:port` goes to, or why there is none. Pure. */
export function resolveBackend(service: V1Service, pods: readonly V1Pod[], servicePort: number): { pod: string; port: number } | { error: string } {
  const name = service.metadata?.name ?? '';
  const port = service.spec?.ports?.find((p) => p.port === servicePort);
  if (!port) return { error: `Service ${name} has no port ${servicePort}` };
  const selector = service.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) return { error: `Service ${name} has no selector` };
  const ready = pods
    .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
    .filter(isReady)
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  const pod = ready[0];
  if (!pod) return { error: `no ready pod behind Service ${name}` };
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number' || /^\d+$/.test(String(target))) return { pod: pod.metadata!.name!, port: Number(target) };
  const named = pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  if (!named) return { error: `pod ${pod.metadata!.name} has no port named ${target}` };
  return { pod: pod.metadata!.name!, port: named.containerPort };
}

function selectorString(s: Record<string, string>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Resolves a Service to a ready pod now, on the cluster. */
export async function resolveLive(cluster: Cluster, namespace: string, spec: ForwardSpec): Promise<{ pod: string; port: number } | { error: string }> {
  const service = await cluster.get<V1Service>('v1', 'Service', namespace, spec.service);
  if (!service) return { error: `no Service ${spec.service} in namespace ${namespace}` };
  const pods = await cluster.list<V1Pod>('v1', 'Pod', namespace, selectorString(service.spec?.selector ?? {}));
  return resolveBackend(service, pods, spec.servicePort);
}

export interface Forwarding {
  /** Local ports actually listening, by forward name. */
  ports: Record<string, number>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 for every forward; each connection is forwarded to a freshly resolved ready pod.
 * Problems are reported through `log` (one line each) and close that connection only.
 */
export async function startForwards(cluster: Cluster, namespace: string, specs: readonly ForwardSpec[], log: (line: string) => void): Promise<Forwarding> {
  const pf = new PortForward(cluster.kc);
  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const ports: Record<string, number> = {};
  for (const spec of specs) {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      void (async () => {
        let pod = '';
        try {
          const backend = await resolveLive(cluster, namespace, spec);
          if ('error' in backend) {
            log(`${spec.name}: ${backend.error}`);
            socket.destroy();
            return;
          }
          pod = backend.pod;
          const ws = await pf.portForward(namespace, backend.pod, [backend.port], socket, null, socket);
          const conn = typeof ws === 'function' ? ws() : ws;
          conn?.on('error', (e: Error) => {
            log(`${spec.name}: pod ${backend.pod}: ${e.message}`);
            socket.destroy();
          });
          conn?.on('close', () => socket.destroy());
          socket.on('close', () => conn?.close());
        } catch (e) {
          log(`${spec.name}: ${pod ? `pod ${pod}: ` : ''}${(e as Error).message.split('\n')[0]}`);
          socket.destroy();
        }
      })();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'EADDRINUSE' ? `${spec.name}: local port ${spec.localPort} is in use (choose another with --port ${spec.name}=PORT)` : `${spec.name}: ${e.message}`)));
      server.listen(spec.localPort, '127.0.0.1', () => resolve());
    }).catch(async (e: unknown) => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw e;
    });
    servers.push(server);
    ports[spec.name] = (server.address() as net.AddressInfo).port;
  }
  return {
    ports,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
