// nginx.conf for the webserver, rendered from the environment and the rendered Services: Oro's documented site config, hardened.
//
// Modelled on Oro's documented nginx configuration (oroinc/documentation
// backend/setup/dev-environment/web-server-config.rst, https://doc.oroinc.com/backend/setup/dev-environment/web-server-config/)
// and its websocket proxy (backend/websockets/configuration/index.rst,
// https://doc.oroinc.com/backend/websockets/configuration/), narrowed to what a production pod needs: only the
// front controller reaches PHP, as Symfony recommends (https://symfony.com/doc/current/setup/web_server_configuration.html).
// The file is self-contained (its own MIME types and FastCGI parameters, no include) because the image that runs
// nginx is not public and its /etc/nginx layout is unknown.
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { FASTCGI_PORT, phpFpmService } from '../app/php-fpm-service.ts';
import { oroConfigMap } from '../lib/config.ts';
import { serviceAddress } from '../lib/objects.ts';
import { ORO_ROOT } from '../lib/volumes.ts';
import { NGINX_STUB_STATUS_PATH, NGINX_STUB_STATUS_PORT } from '../monitoring/exporters.ts';
import { millicores } from '../pvcs/quantities.ts';
import { WEBSOCKET_PORT } from '../websocket/service.ts';
import { websocketAliasService } from '../websocket-alias/service.ts';
import { HTTP_PORT } from './service.ts';

/** Where the ConfigMap is mounted (read-only) and the file nginx is started with. */
export const NGINX_CONF_DIR = '/etc/oro-nginx';
export const NGINX_CONF_FILE = 'nginx.conf';
export const NGINX_CONF_PATH = `${NGINX_CONF_DIR}/${NGINX_CONF_FILE}`;
/** nginx's only writable place: pid file and request-body/proxy buffers on disk (an emptyDir; the image stays read-only). */
export const NGINX_STATE_DIR = '/var/lib/oro-nginx';
/** The code's public folder; media (pvc-public-storage) is mounted inside it at public/media. */
export const DOCUMENT_ROOT = `${ORO_ROOT}/public`;
/** The websocket path browsers use (ORO_WEBSOCKET_FRONTEND_DSN `//*:<port>/ws`). */
export const WEBSOCKET_LOCATION = '/ws';
/** A PHP-free location for the kubelet: nginx answers, and the release it serves is mounted. */
export const HEALTH_PATH = '/healthz';
/** Seconds a client is told to wait before retrying during maintenance. */
export const MAINTENANCE_RETRY_AFTER_SECONDS = 300;

/**
 * The maintenance lock is read from the rendered ORO_* ConfigMap (ORO_MAINTENANCE_LOCK_FILE_PATH, the file
 * job-runner's `--lock=` and `oro:maintenance:*` use), so nginx and PHP can never disagree on its path.
 */
export function maintenanceLockFile(env: Environment): string {
  const path = oroConfigMap(env).data?.ORO_MAINTENANCE_LOCK_FILE_PATH;
  if (!path) throw new Error('the ORO_* ConfigMap has no ORO_MAINTENANCE_LOCK_FILE_PATH');
  return path;
}

/** One worker per core of the CPU limit: `auto` would count the node's cores, not the container's share. */
export function workerProcesses(env: Environment): number {
  return Math.max(1, Math.ceil(millicores(env.web.resources.limits.cpu) / 1000));
}

/** What nginx sends with everything it answers itself; PHP's copies are hidden so each header appears once. */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
];

/** The types an Oro shop serves from disk (an own table: see the header). */
const MIME_TYPES: readonly (readonly [string, string])[] = [
  ['text/html', 'html htm'],
  ['text/css', 'css'],
  ['text/plain', 'txt'],
  ['text/xml', 'xml'],
  ['application/javascript', 'js mjs'],
  ['application/json', 'json map'],
  ['application/manifest+json', 'webmanifest'],
  ['application/pdf', 'pdf'],
  ['application/zip', 'zip'],
  ['image/gif', 'gif'],
  ['image/jpeg', 'jpeg jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
  ['image/avif', 'avif'],
  ['image/svg+xml', 'svg svgz'],
  ['image/x-icon', 'ico'],
  ['font/woff', 'woff'],
  ['font/woff2', 'woff2'],
  ['font/ttf', 'ttf'],
  ['font/otf', 'otf'],
  ['application/vnd.ms-fontobject', 'eot'],
  ['video/mp4', 'mp4'],
  ['video/webm', 'webm'],
];

/** Static files cached by browsers (Oro's documented list, widened to today's asset types). */
const STATIC_EXTENSIONS = 'css|js|mjs|map|json|jpe?g|gif|png|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|pdf|txt|rtf|ppt|mp4|webm';

/** The FastCGI environment PHP expects (nginx's fastcgi_params, plus SCRIPT_FILENAME, PATH_INFO and HTTPS). */
function fastcgiParams(env: Environment): string[] {
  const params: [string, string][] = [
    ['QUERY_STRING', '$query_string'],
    ['REQUEST_METHOD', '$request_method'],
    ['CONTENT_TYPE', '$content_type'],
    ['CONTENT_LENGTH', '$content_length'],
    ['SCRIPT_NAME', '$fastcgi_script_name'],
    ['SCRIPT_FILENAME', '$document_root$fastcgi_script_name'],
    ['PATH_INFO', '$fastcgi_path_info'],
    ['REQUEST_URI', '$request_uri'],
    ['DOCUMENT_URI', '$document_uri'],
    ['DOCUMENT_ROOT', '$document_root'],
    ['SERVER_PROTOCOL', '$server_protocol'],
    ['REQUEST_SCHEME', '$scheme'],
    ['GATEWAY_INTERFACE', 'CGI/1.1'],
    ['SERVER_SOFTWARE', 'nginx'],
    ['REMOTE_ADDR', '$remote_addr'],
    ['REMOTE_PORT', '$remote_port'],
    ['SERVER_ADDR', '$server_addr'],
    ['SERVER_PORT', '$server_port'],
    // The shop's host as the browser sent it, not the catch-all `_`.
    ['SERVER_NAME', '$host'],
    ['REDIRECT_STATUS', '200'],
    // TLS ends at the Ingress or Gateway: without this PHP would build http:// URLs for an https shop.
    ['HTTPS', env.tls.enabled ? 'on' : 'off'],
  ];
  return params.map(([k, v]) => `fastcgi_param ${k} ${v};`);
}

function securityHeaders(): string[] {
  return SECURITY_HEADERS.map(([name, value]) => `add_header ${name} "${value}" always;`);
}

/** Indents a block body by four spaces per level; empty lines stay empty. */
function block(head: string, body: readonly string[]): string[] {
  return [`${head} {`, ...body.map((l) => (l === '' ? '' : `    ${l}`)), '}'];
}

function shopServer(env: Environment): string[] {
  const lock = maintenanceLockFile(env);
  const timeout = env.app['php-fpm'].maxRequestSeconds;
  const wsTimeout = env.web.websocketTimeoutSeconds;
  return block('server', [
    `listen ${HTTP_PORT.containerPort} default_server;`,
    // Which hosts arrive is the Ingress's or Gateway's decision; a port-forward sends any Host.
    'server_name _;',
    `root ${DOCUMENT_ROOT};`,
    '',
    ...securityHeaders(),
    '',
    // The kubelet's probe: no PHP, so a php-fpm or database outage never takes nginx out of its Service
    // (static files, media and the maintenance page keep being served); 503 until the release is mounted.
    ...block(`location = ${HEALTH_PATH}`, [
      'access_log off;',
      'default_type text/plain;',
      `if (!-f $document_root/index.php) { return 503 "no release mounted\\n"; }`,
      'return 200 "ok\\n";',
    ]),
    '',
    // Oro's websocket server behind the alias Service; idle connections live as long as the Ingress allows.
    ...block(`location = ${WEBSOCKET_LOCATION}`, [
      'proxy_pass http://oro_websocket/;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $connection_upgrade;',
      'proxy_set_header Host $host;',
      'proxy_set_header X-Real-IP $remote_addr;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $forwarded_proto;',
      `proxy_read_timeout ${wsTimeout}s;`,
      `proxy_send_timeout ${wsTimeout}s;`,
      'proxy_buffering off;',
    ]),
    '',
    // The front controller, reached only through the try_files below (`internal`): /index.php itself is a 404.
    ...block('location ~ ^/index\\.php(/|$)', [
      'internal;',
      // Maintenance (oro:platform:update, an upgrade hook): PHP is not asked at all.
      'error_page 503 @maintenance;',
      `if (-f ${lock}) { return 503; }`,
      'fastcgi_pass oro_php_fpm;',
      'fastcgi_split_path_info ^(.+\\.php)(/.*)$;',
      ...fastcgiParams(env),
      ...SECURITY_HEADERS.map(([name]) => `fastcgi_hide_header ${name};`),
      `fastcgi_read_timeout ${timeout}s;`,
      `fastcgi_send_timeout ${timeout}s;`,
      // Oro's pages carry large headers (CSP, cookies): nginx's 4k default answers 502.
      'fastcgi_buffer_size 32k;',
      'fastcgi_buffers 16 32k;',
    ]),
    '',
    ...block('location @maintenance', [
      ...securityHeaders(),
      `add_header Retry-After ${MAINTENANCE_RETRY_AFTER_SECONDS} always;`,
      'add_header Cache-Control "no-store" always;',
      'default_type text/html;',
      'return 503 "<!doctype html><title>Maintenance</title><h1>Down for maintenance</h1><p>The shop is being updated. Please try again in a few minutes.</p>\\n";',
    ]),
    '',
    // No other PHP file runs (config.php, install.php, anything uploaded), and nothing hidden is served
    // (.htaccess, .git, .env); /.well-known/ stays open for the shop's own files.
    ...block('location ~ \\.php(/|$)', ['return 404;']),
    ...block('location ~ /\\.(?!well-known/)', ['return 404;']),
    '',
    // Assets from the release and media from pvc-public-storage; a missing file (an image variant Oro
    // resizes on first request) goes to the front controller. Private files (var/data) lie outside the root.
    ...block(`location ~* \\.(?:${STATIC_EXTENSIONS})$`, ['try_files $uri /index.php$is_args$args;', 'access_log off;', 'expires 1h;']),
    '',
    ...block('location /', ['try_files $uri /index.php$is_args$args;']),
  ]);
}

/** stub_status for the exporter sidecar only: its own port, loopback only (never in the Service). */
function statusServer(): string[] {
  return block('server', [
    `listen 127.0.0.1:${NGINX_STUB_STATUS_PORT};`,
    'access_log off;',
    ...block(`location = ${NGINX_STUB_STATUS_PATH}`, ['allow 127.0.0.1;', 'deny all;', 'stub_status;']),
    ...block('location /', ['return 404;']),
  ]);
}

/** The whole nginx.conf. Byte-stable: a pure function of the environment and the rendered Services. */
export function nginxConf(env: Environment): string {
  const app = serviceAddress(phpFpmService(env), FASTCGI_PORT.name);
  const ws = serviceAddress(websocketAliasService(env), WEBSOCKET_PORT.name);
  const lines = [
    '# Rendered by apps/web/nginx-conf.ts from the environment; edit the source, not this file.',
    'daemon off;',
    `worker_processes ${workerProcesses(env)};`,
    `pid ${NGINX_STATE_DIR}/nginx.pid;`,
    'error_log stderr warn;',
    '',
    ...block('events', ['worker_connections 1024;']),
    '',
    ...block('http', [
      ...block('types', MIME_TYPES.map(([type, ext]) => `${type} ${ext};`)),
      'default_type application/octet-stream;',
      '',
      "log_format main '$remote_addr \"$http_x_forwarded_for\" [$time_local] \"$request\" $status $body_bytes_sent '",
      "                '\"$http_referer\" \"$http_user_agent\" $request_time $upstream_response_time';",
      'access_log /dev/stdout main;',
      'server_tokens off;',
      // Redirects nginx makes itself (a directory's trailing slash) stay relative: 8080 is not the public port.
      'absolute_redirect off;',
      '',
      'sendfile on;',
      'tcp_nopush on;',
      // Longer than the proxies' upstream keepalive (ingress-nginx: 60 s), so nginx never closes a connection they reuse.
      'keepalive_timeout 75s;',
      'client_header_timeout 30s;',
      'client_body_timeout 60s;',
      'send_timeout 60s;',
      `client_max_body_size ${env.web.clientMaxBodySize};`,
      'client_body_buffer_size 128k;',
      'large_client_header_buffers 4 16k;',
      '',
      `client_body_temp_path ${NGINX_STATE_DIR}/client_body;`,
      `proxy_temp_path ${NGINX_STATE_DIR}/proxy;`,
      `fastcgi_temp_path ${NGINX_STATE_DIR}/fastcgi;`,
      `uwsgi_temp_path ${NGINX_STATE_DIR}/uwsgi;`,
      `scgi_temp_path ${NGINX_STATE_DIR}/scgi;`,
      '',
      'gzip on;',
      'gzip_comp_level 5;',
      'gzip_min_length 1024;',
      'gzip_proxied any;',
      'gzip_vary on;',
      'gzip_types text/css text/plain text/xml application/javascript application/json application/manifest+json image/svg+xml;',
      '',
      ...block('map $http_upgrade $connection_upgrade', ['default upgrade;', "'' close;"]),
      // The scheme the browser used, as the Ingress reports it; nginx's own is always http.
      ...block('map $http_x_forwarded_proto $forwarded_proto', ['default $http_x_forwarded_proto;', "'' $scheme;"]),
      '',
      // Service names resolve once, at start, to stable ClusterIPs. No keepalive to php-fpm: a pooled
      // connection sticks to one pod behind the ClusterIP and would starve pods the HPA adds.
      ...block('upstream oro_php_fpm', [`server ${app.host}:${app.port};`]),
      ...block('upstream oro_websocket', [`server ${ws.host}:${ws.port};`]),
      '',
      ...shopServer(env),
      '',
      ...statusServer(),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
