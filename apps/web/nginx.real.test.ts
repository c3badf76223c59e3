// The rendered nginx.conf proven by real nginx, real php-fpm and a websocket echo server on loopback, and `nginx -t` on every environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../index.ts';
import { FASTCGI_PORT, phpFpmService } from '../app/php-fpm-service.ts';
import { serviceAddress } from '../lib/objects.ts';
import { ORO_ROOT } from '../lib/volumes.ts';
import { NGINX_STUB_STATUS_PATH, NGINX_STUB_STATUS_PORT } from '../monitoring/exporters.ts';
import { WEBSOCKET_PORT } from '../websocket/service.ts';
import { websocketAliasService } from '../websocket-alias/service.ts';
import { listEnvironmentNames, loadEnvironment } from '../../scripts/lib/environment/load.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { renderEnvironmentDocs } from '../../scripts/lib/pipeline.ts';
import { NGINX_CONFIGMAP_NAME } from './configmap.ts';
import { MAINTENANCE_RETRY_AFTER_SECONDS, NGINX_CONF_FILE, NGINX_STATE_DIR } from './nginx-conf.ts';
import { HTTP_PORT } from './service.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const INSTALL = 'install it with `bash scripts/ci/install-programs.sh`';
const SECRET = 'PRIVATE-FILE-CONTENT-must-never-be-served';
const OTHER_PHP = 'OTHER-PHP-RAN';

/** The absolute path of the first program found on PATH or in the sbin folders Debian installs servers to. */
function program(names: readonly string[], pkg: string): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error(`${names[0]} is missing (Debian package ${pkg}): ${INSTALL}`);
}

/** The environment's nginx.conf exactly as `npm run render` writes it (components, patches, transforms). */
async function renderedNginxConf(name: string): Promise<{ env: Environment; conf: string }> {
  const env = await loadEnvironment(ROOT, name);
  const docs = renderEnvironmentDocs(env, COMPONENTS, `environments/${name}.yaml`, requiredSecrets(env));
  const cm = docs.find((d) => d.object.kind === 'ConfigMap' && d.object.metadata.name === NGINX_CONFIGMAP_NAME)?.object as { data?: Record<string, string> } | undefined;
  const conf = cm?.data?.[NGINX_CONF_FILE];
  if (!conf) throw new Error(`${name}: no ConfigMap ${NGINX_CONFIGMAP_NAME} with ${NGINX_CONF_FILE}`);
  return { env, conf };
}

interface Ports {
  http: number;
  status: number;
  fpm: number;
  ws: number;
}

/**
 * Only the cluster-specific parts change: Service names become loopback ports, the pod's paths a temp dir, the
 * listen ports free ones. Each substitution must match exactly as often as expected, so a config change that
 * adds an address or path this test does not rewrite fails here instead of escaping the test.
 */
function localize(env: Environment, conf: string, dir: string, ports: Ports): string {
  const fpm = serviceAddress(phpFpmService(env), FASTCGI_PORT.name);
  const ws = serviceAddress(websocketAliasService(env), WEBSOCKET_PORT.name);
  const substitutions: [string, string, number][] = [
    [`server ${fpm.host}:${fpm.port};`, `server 127.0.0.1:${ports.fpm};`, 1],
    [`server ${ws.host}:${ws.port};`, `server 127.0.0.1:${ports.ws};`, 1],
    [`listen ${HTTP_PORT.containerPort} default_server;`, `listen 127.0.0.1:${ports.http} default_server;`, 1],
    [`listen 127.0.0.1:${NGINX_STUB_STATUS_PORT};`, `listen 127.0.0.1:${ports.status};`, 1],
    [NGINX_STATE_DIR, path.join(dir, 'state'), 6],
    [ORO_ROOT, path.join(dir, 'oro'), 2],
  ];
  let out = conf;
  for (const [from, to, count] of substitutions) {
    const found = out.split(from).length - 1;
    if (found !== count) throw new Error(`expected ${count} × "${from}" in nginx.conf, found ${found}: update this test's substitutions`);
    out = out.split(from).join(to);
  }
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: string[];
  body: string;
}

function request(port: number, urlPath: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: options.method ?? 'GET', headers: { Host: 'shop.example.com', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: res.rawHeaders, body: Buffer.concat(chunks).toString() }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${urlPath}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/** How many times a response header was sent (Node joins duplicates, which would hide them). */
function headerCount(reply: Reply, name: string): number {
  return reply.raw.filter((_, i) => i % 2 === 0 && reply.raw[i]!.toLowerCase() === name.toLowerCase()).length;
}

/** One unfragmented text frame of less than 126 bytes (all this test sends). */
function frame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text);
  if (!mask) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const key = randomBytes(4);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), key, payload.map((b, i) => b ^ key[i % 4]!)]);
}

function unframe(data: Buffer): string | undefined {
  if (data.length < 2) return undefined;
  const len = data[1]! & 0x7f;
  const masked = (data[1]! & 0x80) !== 0;
  const start = masked ? 6 : 2;
  if (data.length < start + len) return undefined;
  const payload = data.subarray(start, start + len);
  return masked ? Buffer.from(payload.map((b, i) => b ^ data[2 + (i % 4)]!)).toString() : payload.toString();
}

const acceptKey = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

/** A websocket echo server (RFC 6455 handshake and text frames), recording the requests it was handed. */
function websocketEcho(): { server: http.Server; seen: http.IncomingMessage[]; sockets: Set<net.Socket> } {
  const seen: http.IncomingMessage[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(req);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const key = String(req.headers['sec-websocket-key'] ?? '');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`, '', ''].join('\r\n'));
    let buffered = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buffered = Buffer.concat([buffered, d]);
      const text = unframe(buffered);
      if (text !== undefined) {
        buffered = Buffer.alloc(0);
        socket.write(frame(`echo: ${text}`, false));
      }
    });
    socket.on('error', () => undefined);
  });
  return { server, seen, sockets };
}

/** Opens /ws through nginx, sends one message and returns the handshake status and the echo. */
function websocketRoundTrip(port: number, message: string): Promise<{ status: number; accept: string; expected: string; echo: string }> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/ws?token=abc',
      headers: { Host: 'shop.example.com', Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    req.setTimeout(10_000, () => req.destroy(new Error('/ws: timeout')));
    req.on('response', (res) => reject(new Error(`/ws answered ${res.statusCode}, not 101`)));
    req.on('upgrade', (res, socket: net.Socket, head: Buffer) => {
      let buffered = head;
      const done = (text: string) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, accept: String(res.headers['sec-websocket-accept']), expected: acceptKey(key), echo: text });
      };
      socket.on('data', (d: Buffer) => {
        buffered = Buffer.concat([buffered, d]);
        const text = unframe(buffered);
        if (text !== undefined) done(text);
      });
      socket.on('error', reject);
      socket.write(frame(message, true));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, logs: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start:\n${logs()}`);
}

/**
 * Starts a server process with stdout and stderr in a log file, read back for failure messages. A file, not a
 * pipe: Node's pipes are sockets, which nginx's `access_log /dev/stdout` and php-fpm's /proc/self/fd/2 cannot
 * open (ENXIO); a container runtime hands them a FIFO or file, as this does.
 */
function start(cmd: string, args: string[], log: string, children: ChildProcess[]): { child: ChildProcess; output: () => string } {
  const fd = openSync(log, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.push(child);
  return { child, output: () => readFileSync(log, 'utf8').slice(-20_000) };
}

/** `nginx -t`, its output through a file for the same reason. */
function nginxTest(nginx: string, dir: string, conf: string): { status: number | null; output: string } {
  const log = path.join(dir, 'nginx-t.log');
  const fd = openSync(log, 'w');
  const result = spawnSync(nginx, ['-t', '-p', dir, '-e', 'stderr', '-c', conf], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return { status: result.status, output: readFileSync(log, 'utf8') };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

const FRONT_CONTROLLER = `<?php
// A stand-in for Oro's public/index.php: it reports what nginx handed to PHP.
header('Content-Type: application/json');
header('X-Frame-Options: DENY');
echo json_encode([
    'front' => true,
    'script' => $_SERVER['SCRIPT_FILENAME'],
    'uri' => $_SERVER['REQUEST_URI'],
    'query' => $_SERVER['QUERY_STRING'],
    'https' => $_SERVER['HTTPS'] ?? null,
    'host' => $_SERVER['SERVER_NAME'],
]);
`;

describe.each(await listEnvironmentNames(ROOT))('%s: nginx.conf with real nginx, php-fpm and a websocket server', (name) => {
  const children: ChildProcess[] = [];
  let dir = '';
  let ports: Ports;
  let env: Environment;
  let ws: ReturnType<typeof websocketEcho>;
  let fpm: ReturnType<typeof start>;
  let server: ReturnType<typeof start>;
  let conf = '';
  const docroot = () => path.join(dir, 'oro', 'public');
  const lockFile = () => path.join(dir, 'oro', 'var', 'maintenance', 'maintenance_lock');
  const get = (p: string, headers?: Record<string, string>) => request(ports.http, p, { headers });

  beforeAll(async () => {
    const nginx = program(['nginx'], 'nginx');
    const phpFpm = program(['php-fpm8.2', 'php-fpm'], 'php8.2-fpm');
    dir = await mkdtemp(path.join(os.tmpdir(), 'oro-nginx-'));
    ports = { http: await freePort(), status: await freePort(), fpm: await freePort(), ws: await freePort() };
    const rendered = await renderedNginxConf(name);
    env = rendered.env;

    // The pod's filesystem: the release's public folder with media mounted inside, private files and the
    // maintenance folder beside it. Readable by nginx's workers, which drop to `nobody` when the test runs as root.
    const files: [string, string][] = [
      ['oro/public/index.php', FRONT_CONTROLLER],
      ['oro/public/config.php', `<?php echo '${OTHER_PHP}';`],
      ['oro/public/bundles/shop/app.css', 'body { color: #333; }\n'],
      ['oro/public/media/product.jpg', 'JPEG-BYTES'],
      ['oro/public/media/upload.php', `<?php echo '${OTHER_PHP}';`],
      ['oro/public/.env', `ORO_SECRET=${SECRET}\n`],
      ['oro/public/.git/config', `${SECRET}\n`],
      ['oro/public/.well-known/security.txt', 'Contact: mailto:security@example.com\n'],
      ['oro/var/data/attachments/invoice.pdf', SECRET],
      ['oro/var/maintenance/.keep', ''],
    ];
    for (const [file, content] of files) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    await mkdir(path.join(dir, 'state'));
    await mkdir(path.join(dir, 'prefix'));
    spawnSync('chmod', ['-R', 'a+rX', dir]);
    await chmod(path.join(dir, 'oro', 'var', 'maintenance'), 0o777);

    const asRoot = process.getuid?.() === 0;
    await writeFile(
      path.join(dir, 'php-fpm.conf'),
      [
        '[global]',
        `pid = ${path.join(dir, 'php-fpm.pid')}`,
        'error_log = /proc/self/fd/2',
        'daemonize = no',
        '[www]',
        `listen = 127.0.0.1:${ports.fpm}`,
        ...(asRoot ? ['user = root', 'group = root'] : []),
        'pm = static',
        'pm.max_children = 2',
        '',
      ].join('\n'),
    );
    fpm = start(phpFpm, ['--nodaemonize', '--fpm-config', path.join(dir, 'php-fpm.conf'), ...(asRoot ? ['--allow-to-run-as-root'] : [])], path.join(dir, 'php-fpm.log'), children);
    await waitFor('php-fpm', () => new Promise((resolve) => net.connect(ports.fpm, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); resolve(true); }).once('error', () => resolve(false))), fpm.output);

    ws = websocketEcho();
    await new Promise<void>((resolve) => ws.server.listen(ports.ws, '127.0.0.1', resolve));

    conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, localize(env, rendered.conf, dir, ports));
    server = start(nginx, ['-p', path.join(dir, 'prefix'), '-e', 'stderr', '-c', conf], path.join(dir, 'nginx.log'), children);
    await waitFor('nginx', async () => (await get('/healthz')).status === 200, server.output);
  });

  afterAll(async () => {
    for (const child of children) await stop(child);
    for (const socket of ws?.sockets ?? []) socket.destroy();
    ws?.server.closeAllConnections();
    await new Promise<void>((resolve) => (ws?.server.listening ? ws.server.close(() => resolve()) : resolve()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves static files from the release and media from the public storage, with cache and security headers', async () => {
    const css = await get('/bundles/shop/app.css');
    expect(css.status).toBe(200);
    expect(css.body).toBe('body { color: #333; }\n');
    expect(css.headers['content-type']).toBe('text/css');
    expect(css.headers['cache-control']).toBe('max-age=3600');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
    const media = await get('/media/product.jpg');
    expect([media.status, media.body, media.headers['content-type']]).toEqual([200, 'JPEG-BYTES', 'image/jpeg']);
  });

  it('hands / and a product URL to the front controller, with the query, host and scheme', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(JSON.parse(home.body)).toMatchObject({ front: true, script: path.join(docroot(), 'index.php'), uri: '/' });
    const product = await get('/product/view/42?variant=blue');
    expect(product.status).toBe(200);
    expect(JSON.parse(product.body)).toEqual({
      front: true,
      script: path.join(docroot(), 'index.php'),
      uri: '/product/view/42?variant=blue',
      query: 'variant=blue',
      https: env.tls.enabled ? 'on' : 'off',
      host: 'shop.example.com',
    });
  });

  it("sends each security header once, nginx's value replacing PHP's", async () => {
    const home = await get('/');
    expect(headerCount(home, 'X-Frame-Options')).toBe(1);
    expect(home.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(home.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('sends a missing media variant to the front controller, which renders it on first request', async () => {
    const variant = await get('/media/cache/attachment/resize/product_large/1/product.jpg');
    expect(variant.status).toBe(200);
    expect(JSON.parse(variant.body)).toMatchObject({ front: true, uri: '/media/cache/attachment/resize/product_large/1/product.jpg' });
  });

  it('refuses every other .php file, /index.php itself, and dotfiles, never running or showing them', async () => {
    for (const p of ['/config.php', '/media/upload.php', '/config.php/extra', '/index.php', '/index.php/product/view/42', '/.env', '/.git/config', '/media/.htaccess']) {
      const reply = await get(p);
      expect(reply.status, p).toBe(404);
      expect(reply.body, p).not.toContain(OTHER_PHP);
      expect(reply.body, p).not.toContain(SECRET);
      expect(reply.body, p).not.toContain('"front"');
    }
    expect((await get('/.well-known/security.txt')).status).toBe(200);
  });

  it('never serves private files (var/data): no URL maps outside the public folder', async () => {
    for (const p of ['/var/data/attachments/invoice.pdf', '/../var/data/attachments/invoice.pdf', '/%2e%2e/var/data/attachments/invoice.pdf', '/media/../../var/data/attachments/invoice.pdf']) {
      const reply = await get(p);
      expect(reply.body, p).not.toContain(SECRET);
    }
  });

  it('upgrades /ws to the websocket server, which echoes', async () => {
    const reply = await websocketRoundTrip(ports.http, 'hello oro');
    expect(reply.status).toBe(101);
    expect(reply.accept).toBe(reply.expected);
    expect(reply.echo).toBe('echo: hello oro');
    const handed = ws.seen.at(-1)!;
    expect(handed.url).toBe('/?token=abc');
    expect(handed.headers.host).toBe('shop.example.com');
    expect(handed.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('answers 503 with Retry-After and no-store, without PHP, while the maintenance lock exists; static files and the probe stay up', async () => {
    await writeFile(lockFile(), '');
    try {
      for (const p of ['/', '/product/view/42']) {
        const reply = await get(p);
        expect(reply.status, p).toBe(503);
        expect(reply.headers['retry-after']).toBe(String(MAINTENANCE_RETRY_AFTER_SECONDS));
        expect(reply.headers['cache-control']).toBe('no-store');
        expect(reply.headers['x-content-type-options']).toBe('nosniff');
        expect(reply.body).toContain('Down for maintenance');
        expect(reply.body).not.toContain('"front"');
      }
      expect((await get('/bundles/shop/app.css')).status).toBe(200);
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      await rm(lockFile());
    }
    expect((await get('/')).status).toBe(200);
  });

  it('serves stub_status on its own loopback port only', async () => {
    const status = await request(ports.status, NGINX_STUB_STATUS_PATH);
    expect(status.status).toBe(200);
    expect(status.body).toMatch(/^Active connections: \d+/);
    expect((await request(ports.status, '/')).status).toBe(404);
    const onShopPort = await get(NGINX_STUB_STATUS_PATH);
    expect(onShopPort.body).not.toContain('Active connections');
  });

  it('refuses a body larger than client_max_body_size before reading it', async () => {
    const limit = Number(/^(\d+)m$/.exec(env.web.clientMaxBodySize)?.[1]) * 2 ** 20;
    expect(limit).toBeGreaterThan(0);
    const reply = await request(ports.http, '/', { method: 'POST', headers: { 'Content-Length': String(limit + 1) } }).catch((e: Error) => e);
    expect(reply instanceof Error ? reply.message : reply.status).toBe(413);
  });

  it('probe: 503 until a release is mounted, and 200 with php-fpm down while the shop answers 502', async () => {
    await rename(path.join(docroot(), 'index.php'), path.join(docroot(), 'index.php.off'));
    try {
      expect((await get('/healthz')).status).toBe(503);
    } finally {
      await rename(path.join(docroot(), 'index.php.off'), path.join(docroot(), 'index.php'));
    }
    await stop(fpm.child);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/')).status).toBe(502);
    expect((await get('/bundles/shop/app.css')).status).toBe(200);
  });

  it("stops gracefully on the preStop hook's `nginx -c <conf> -s quit`, through the config's pid file", async () => {
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    const quit = spawnSync(program(['nginx'], 'nginx'), ['-p', path.join(dir, 'prefix'), '-e', 'stderr', '-c', conf, '-s', 'quit'], { stdio: 'ignore' });
    expect(quit.status).toBe(0);
    expect(await exited).toBe(0);
  });
});

describe('nginx -t on every environment', async () => {
  const names = await listEnvironmentNames(ROOT);

  it('ships dev, staging and prod', () => {
    expect(names).toEqual(expect.arrayContaining(['dev', 'staging', 'prod']));
  });

  it.each(names)('%s: the rendered nginx.conf passes `nginx -t`', async (name) => {
    const nginx = program(['nginx'], 'nginx');
    const dir = await mkdtemp(path.join(os.tmpdir(), `oro-nginx-t-${name}-`));
    try {
      const { env, conf } = await renderedNginxConf(name);
      await mkdir(path.join(dir, 'state'));
      const file = path.join(dir, 'nginx.conf');
      await writeFile(file, localize(env, conf, dir, { http: 18080, status: 18081, fpm: 19000, ws: 19001 }));
      const result = nginxTest(nginx, dir, file);
      expect(result.output).toContain('test is successful');
      expect(result.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
