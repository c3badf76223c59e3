// The small client layer every cluster command stands on: kubeconfig loading with kubectl's flags, raw API
// requests through @kubernetes/client-node's auth and TLS, discovery, server-side apply, one-line errors.
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesObject } from '../k8s.ts';

/** The field manager of every server-side apply this project makes (README "Bootstrap a cluster"). */
export const FIELD_MANAGER = 'orocommerce-gitops';

/** Exit codes shared by the cluster commands: 0 fine, 1 not healthy / findings, 2 usage, 4 no cluster, no permission or missing CRDs. */
export const EXIT = { ok: 0, findings: 1, usage: 2, cluster: 4 } as const;

/** An expected failure talking to the cluster, already phrased as the one line the user sees. */
export class ClusterError extends Error {
  override name = 'ClusterError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the cluster was never reached. */
    readonly status = 0,
    /** The API's Status object, when the server answered. */
    readonly body?: ApiStatus,
  ) {
    super(message);
  }
}

export interface ApiStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

export interface KubeOptions {
  /** --kubeconfig; otherwise KUBECONFIG, then ~/.kube/config, as kubectl. */
  kubeconfig?: string;
  /** --context; otherwise the kubeconfig's current-context. */
  context?: string;
}

/** Loads the kubeconfig the way kubectl does; a missing file or unknown context is a ClusterError. */
export function loadKubeConfig(opts: KubeOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  // Without any kubeconfig client-node falls back to http://localhost:8080; kubectl users expect to be told instead.
  const inCluster = existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token') && process.env.KUBERNETES_SERVICE_HOST;
  if (!opts.kubeconfig && !process.env.KUBECONFIG && !inCluster && !existsSync(join(homedir(), '.kube', 'config'))) {
    throw new ClusterError('no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config (kind, k3d and minikube write one)');
  }
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    throw new ClusterError(`cannot read the kubeconfig ${opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) throw new ClusterError(`no context ${opts.context} in the kubeconfig (contexts: ${kc.contexts.map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) throw new ClusterError('no cluster in the kubeconfig: pass --kubeconfig or --context, or set KUBECONFIG');
  return kc;
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** Return the body as text (logs) instead of parsing JSON. */
  text?: boolean;
}

/** What a resource is called in the API: its URL segment and whether it lives in a namespace. */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** A connection to one cluster (one kubeconfig context). */
export class Cluster {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();

  /** Called with each `Warning` header the API server returns (deprecations, Pod Security `warn` level, ...). */
  onWarning: ((warning: string, method: string, path: string) => void) | undefined;

  constructor(readonly kc: KubeConfig) {}

  get server(): string {
    return this.kc.getCurrentCluster()!.server;
  }

  get contextName(): string {
    return this.kc.getCurrentContext();
  }

  /** One API request; any failure becomes a ClusterError with a one-line message. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const reqOpts: https.RequestOptions = { method, headers: { Accept: 'application/json' } };
    try {
      await this.kc.applyToHTTPSOptions(reqOpts);
    } catch (e) {
      throw new ClusterError(`cannot use context ${this.contextName} of the kubeconfig: ${(e as Error).message.split('\n')[0]}`);
    }
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (payload !== undefined) reqOpts.headers = { ...reqOpts.headers, 'Content-Type': opts.contentType ?? 'application/json' };
    const transport = url.protocol === 'http:' ? http : https;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = transport.request(url, reqOpts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        // RFC 7234 warn-text: `299 - "message"`; several arrive as separate headers.
        const warnings = res.headers.warning === undefined ? [] : ([] as string[]).concat(res.headers.warning);
        for (const w of warnings) this.onWarning?.(w.replace(/^\d{3} \S+ "(.*)"$/, '$1').replace(/\\"/g, '"'), method, url.pathname);
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('timed out after 30s'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    }).catch((e: NodeJS.ErrnoException) => {
      throw new ClusterError(`cannot reach the cluster at ${this.server} (context ${this.contextName}): ${e.code ?? e.message}`);
    });
    if (status >= 200 && status < 300) return (opts.text ? text : text === '' ? undefined : JSON.parse(text)) as T;
    let body: ApiStatus | undefined;
    try {
      body = JSON.parse(text) as ApiStatus;
    } catch {
      body = { message: text.trim().split('\n')[0] };
    }
    throw new ClusterError(this.describeFailure(status, method, path, body), status, body);
  }

  private describeFailure(status: number, method: string, path: string, body: ApiStatus): string {
    if (status === 401) return `the cluster at ${this.server} rejected the credentials of context ${this.contextName} (401 Unauthorized): log in again or fix the kubeconfig`;
    if (status === 403) return `no permission (context ${this.contextName}): ${body.message ?? `${method} ${path} forbidden`}`;
    return body.message ?? `${method} ${path}: HTTP ${status}`;
  }

  /** The resources of one group/version, or undefined when the server does not serve it (a missing CRD). */
  private resources(apiVersion: string): Promise<Map<string, ResourceInfo> | undefined> {
    let cached = this.discovery.get(apiVersion);
    if (!cached) {
      cached = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>('GET', groupVersionPath(apiVersion)).then(
        (list) => new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }])),
        (e: unknown) => {
          if (e instanceof ClusterError && e.status === 404) return undefined;
          throw e;
        },
      );
      this.discovery.set(apiVersion, cached);
    }
    return cached;
  }

  /** Forgets discovery, e.g. after CRDs were installed. */
  resetDiscovery(): void {
    this.discovery.clear();
  }

  /** Whether the server serves `apiVersion` `kind` (false for a missing CRD). */
  async serves(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resources(apiVersion))?.has(kind) ?? false;
  }

  /** The URL path of a kind (and of one object when `name` is given). */
  async pathOf(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const info = (await this.resources(apiVersion))?.get(kind);
    if (!info) throw new ClusterError(`the cluster at ${this.server} does not serve ${apiVersion} ${kind}: install its CustomResourceDefinition first`, 404);
    const ns = info.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    return `${groupVersionPath(apiVersion)}${ns}/${info.plural}${name ? `/${name}` : ''}`;
  }

  /** Server-side apply with this project's field manager; `dryRun` lets admission and validation speak without persisting. */
  async apply<T extends KubernetesObject>(obj: KubernetesObject, opts: { dryRun?: boolean; force?: boolean } = {}): Promise<T> {
    const path = await this.pathOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    return this.request<T>('PATCH', path, {
      query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: opts.force === false ? undefined : 'true', dryRun: opts.dryRun ? 'All' : undefined },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** Reads one object; undefined when it does not exist. */
  async get<T = KubernetesObject>(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', await this.pathOf(apiVersion, kind, namespace, name));
    } catch (e) {
      if (e instanceof ClusterError && e.status === 404 && e.body?.reason === 'NotFound') return undefined;
      throw e;
    }
  }

  /** Lists a kind in a namespace (or cluster-wide), optionally by label selector. */
  async list<T = KubernetesObject>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]> {
    const path = await this.pathOf(apiVersion, kind, namespace);
    const res = await this.request<{ items: T[] }>('GET', path, { query: { labelSelector } });
    return res.items;
  }

  /** Creates an object (never overwrites); a ClusterError with status 409 when it exists. */
  async create<T = KubernetesObject>(obj: KubernetesObject, opts: { dryRun?: boolean } = {}): Promise<T> {
    const path = await this.pathOf(obj.apiVersion, obj.kind, obj.metadata.namespace);
    return this.request<T>('POST', path, { query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun: opts.dryRun ? 'All' : undefined }, body: obj });
  }

  /** The tail of a container's log; the API's message when the log cannot be read (a pod never started). */
  async logTail(namespace: string, pod: string, container: string | undefined, lines: number): Promise<string> {
    return this.request<string>('GET', `/api/v1/namespaces/${namespace}/pods/${pod}/log`, { query: { container, tailLines: String(lines) }, text: true });
  }
}

/** Connects with kubectl's flags. */
export function connect(opts: KubeOptions = {}): Cluster {
  return new Cluster(loadKubeConfig(opts));
}
