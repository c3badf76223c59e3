// Finds the host:port endpoints inside Oro's ORO_* settings: URL DSNs, HOST/PORT pairs and JSON upstream lists.

export interface Endpoint {
  /** The setting the endpoint came from (`ORO_DB_DSN`, or `ORO_DB_HOST` for a pair). */
  key: string;
  host: string;
  port?: number;
}

/** Ports a scheme implies when the DSN omits one; schemes not listed (php://, native:, dbal:) name no endpoint without a port. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80, https: 443, ws: 80, wss: 443, postgres: 5432, postgresql: 5432, pgsql: 5432, mysql: 3306,
  redis: 6379, rediss: 6379, amqp: 5672, amqps: 5671, smtp: 25, smtps: 465,
};

/** Listen-on-everything and loopback addresses never name another Service. */
const NON_SERVICE_HOSTS = new Set(['0.0.0.0', '*', '127.0.0.1', 'localhost', '::', '[::]', '::1', '[::1]']);

const URL_PATTERN = /(?:([a-z][a-z0-9+.-]*):)?\/\/(?:[^@/\s"]*@)?(\[[^\]]+\]|[^:/?#\s"',;]+)(?::(\d+))?/gi;

function portOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

function jsonEndpoints(key: string, value: unknown): Endpoint[] {
  if (Array.isArray(value)) return value.flatMap((v) => jsonEndpoints(key, v));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own = typeof o.host === 'string' ? [{ key, host: o.host, port: portOf(o.port) }] : [];
  return [...own, ...Object.values(o).flatMap((v) => jsonEndpoints(key, v))];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function valueEndpoints(key: string, value: string): Endpoint[] {
  if (/^\s*[[{]/.test(value)) return jsonEndpoints(key, parseJson(value));
  return [...value.matchAll(URL_PATTERN)].flatMap((m) => {
    const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORTS[(m[1] ?? '').toLowerCase()];
    return port === undefined || m[2] === undefined ? [] : [{ key, host: m[2], port }];
  });
}

/** Endpoints named by the ORO_* entries of one ConfigMap or one container's literal env. */
export function oroEndpoints(settings: Readonly<Record<string, string>>): Endpoint[] {
  return Object.entries(settings)
    .filter(([key]) => key.startsWith('ORO_'))
    .flatMap(([key, value]) => {
      const pair = /^(ORO_\w+)_HOST$/.exec(key);
      if (pair && !value.includes('/')) return [{ key, host: value, port: portOf(settings[`${pair[1]}_PORT`]) }];
      return valueEndpoints(key, value);
    })
    .filter((e) => !NON_SERVICE_HOSTS.has(e.host));
}

/**
 * The Service a host names from `namespace`: a bare name, or `<name>.<namespace>.svc[.cluster.local]`.
 * Other dotted names and IP addresses are outside the cluster.
 */
export function serviceOf(host: string, namespace: string): { name: string; namespace: string } | undefined {
  const h = host.replace(/\.$/, '');
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(h) && !/^\d+$/.test(h)) return { name: h, namespace };
  const fqdn = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(h);
  return fqdn ? { name: fqdn[1]!, namespace: fqdn[2]! } : undefined;
}
