// `npm run logs`: follows the logs of every container of a component's pods, the pods of its Jobs first (in sync-wave
// order, so `logs init-jobs` reads volume-init before install/restore), attaching to new pods as they appear.
import { Writable } from 'node:stream';
import { Log, type V1Job, type V1Pod } from '@kubernetes/client-node';
import type { Cluster } from './client.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';

export interface LogSource {
  pod: string;
  container: string;
}

function created(o: { metadata?: { creationTimestamp?: Date | string } }): number {
  return o.metadata?.creationTimestamp ? new Date(o.metadata.creationTimestamp).getTime() : 0;
}

/** Every container of the component's pods in reading order: Job pods by the Job's wave and age, then the others by name; init containers first. Pure. */
export function logSources(component: string, jobs: readonly V1Job[], pods: readonly V1Pod[]): LogSource[] {
  const mine = pods.filter((p) => p.metadata?.labels?.['app.kubernetes.io/component'] === component);
  const jobRank = new Map(
    jobs
      .filter((j) => j.metadata?.labels?.['app.kubernetes.io/component'] === component)
      .sort((a, b) => Number(a.metadata?.annotations?.[WAVE] ?? 0) - Number(b.metadata?.annotations?.[WAVE] ?? 0) || created(a) - created(b))
      .map((j, i) => [j.metadata!.name!, i]),
  );
  const rank = (p: V1Pod) => jobRank.get(p.metadata?.labels?.['job-name'] ?? '') ?? jobRank.size;
  return [...mine]
    .sort((a, b) => rank(a) - rank(b) || created(a) - created(b) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1))
    .flatMap((p) => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => ({ pod: p.metadata!.name!, container: c.name })));
}

/** A stream that prefixes every line with `[pod/container]`, so interleaved logs stay readable. */
export function prefixed(prefix: string, write: (s: string) => void): Writable {
  let rest = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) write(`${prefix} ${l}\n`);
      done();
    },
    final(done) {
      if (rest !== '') write(`${prefix} ${rest}\n`);
      done();
    },
  });
}

export interface LogsOptions {
  follow: boolean;
  tail?: number;
  /** Seconds between looks for new pods while following. */
  poll: number;
  out: (s: string) => void;
  err: (s: string) => void;
  signal: AbortSignal;
}

/** Streams the logs; returns how many containers' logs could be read. */
export async function followLogs(cluster: Cluster, namespace: string, component: string, opts: LogsOptions): Promise<number> {
  const log = new Log(cluster.kc);
  const attached = new Map<string, AbortController | 'failed'>();
  const reported = new Set<string>();
  const streams: Promise<void>[] = [];
  let read = 0;
  let first = true;
  while (!opts.signal.aborted) {
    const [jobs, pods] = await Promise.all([cluster.list<V1Job>('batch/v1', 'Job', namespace), cluster.list<V1Pod>('v1', 'Pod', namespace, `app.kubernetes.io/component=${component}`)]);
    const sources = logSources(component, jobs, pods);
    if (first && sources.length === 0) opts.err(`no pods of component ${component} in namespace ${namespace} yet${opts.follow ? '; waiting' : ''}\n`);
    first = false;
    for (const s of sources) {
      const key = `${s.pod}/${s.container}`;
      const state = attached.get(key);
      if (state && state !== 'failed') continue;
      const stream = prefixed(`[${key}]`, opts.out);
      const ended = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
      try {
        const ctl = await log.log(namespace, s.pod, s.container, stream, { follow: opts.follow, ...(opts.tail !== undefined ? { tailLines: opts.tail } : {}) });
        attached.set(key, ctl);
        read++;
        streams.push(ended);
        opts.signal.addEventListener('abort', () => ctl.abort(), { once: true });
      } catch (e) {
        // A container that has not started yet: said once, retried on the next look while following.
        attached.set(key, 'failed');
        // client-node's Log drops the API's reason for a 400; ask once more for the message ("waiting to start", ...).
        const why = await cluster.logTail(namespace, s.pod, s.container, 1).then(
          (text) => (text === '' ? `pod ${s.pod} has no log yet (its container has not run, or wrote nothing)` : describe(e)),
          (again: Error) => again.message,
        );
        const msg = `[${key}] log unavailable: ${why}`;
        if (!reported.has(msg)) opts.err(`${msg}\n`);
        reported.add(msg);
      }
    }
    if (!opts.follow) break;
    await new Promise((r) => setTimeout(r, opts.poll * 1000));
  }
  // Without --follow the API closes each stream at the end of the log; 30 s is a bound, not a wait (unref'd).
  if (!opts.follow) await Promise.race([Promise.all(streams), new Promise((r) => setTimeout(r, 30_000).unref())]);
  return read;
}

function describe(e: unknown): string {
  const body = (e as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body.split('\n')[0]!;
    }
  }
  return (e as Error).message?.split('\n')[0] ?? String(e);
}
