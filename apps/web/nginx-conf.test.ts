// nginx.conf as text: addresses from the Services, only the front controller to PHP, the lock ORO_* names, limits from settings.
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { oroConfigMap } from '../lib/config.ts';
import { devEnvironment, prodEnvironment } from '../lib/testing.ts';
import { maintenanceLockFile, nginxConf, workerProcesses } from './nginx-conf.ts';

const conf = (env = testEnvironment()) => nginxConf(env);
/** The lines of one block, found by its opening line. */
function blockOf(text: string, head: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${head} {`);
  if (start < 0) throw new Error(`no block "${head}"`);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  const end = lines.findIndex((l, i) => i > start && l === `${' '.repeat(indent)}}`);
  return lines.slice(start + 1, end).map((l) => l.trim());
}

describe('nginx.conf', () => {
  it('is byte-stable and self-contained: no include, no path of the image', () => {
    expect(conf()).toBe(conf());
    expect(conf().endsWith('}\n')).toBe(true);
    expect(conf()).not.toMatch(/^\s*include\b/m);
    expect(conf()).not.toContain('/etc/nginx');
  });

  it('reaches php-fpm and the websocket through the rendered Services', () => {
    expect(blockOf(conf(), 'upstream oro_php_fpm')).toEqual(['server orocommerce-app-php-fpm:9000;']);
    expect(blockOf(conf(), 'upstream oro_websocket')).toEqual(['server orocommerce-websocket:8080;']);
  });

  it('listens on 8080 for the shop and serves the release public folder', () => {
    const server = conf().slice(conf().indexOf('    server {'));
    expect(server).toContain('listen 8080 default_server;');
    expect(server).toContain('root /var/www/oro/public;');
  });

  it('passes only the front controller to FastCGI, and only by internal redirect', () => {
    const text = conf();
    expect(text.match(/fastcgi_pass /g)).toHaveLength(1);
    const php = blockOf(text, 'location ~ ^/index\\.php(/|$)');
    expect(php).toContain('internal;');
    expect(php).toContain('fastcgi_pass oro_php_fpm;');
    expect(blockOf(text, 'location ~ \\.php(/|$)')).toEqual(['return 404;']);
    expect(blockOf(text, 'location /')).toEqual(['try_files $uri /index.php$is_args$args;']);
  });

  it('tells PHP the scheme TLS gives the shop', () => {
    expect(blockOf(conf(prodEnvironment()), 'location ~ ^/index\\.php(/|$)')).toContain('fastcgi_param HTTPS on;');
    expect(blockOf(conf(devEnvironment()), 'location ~ ^/index\\.php(/|$)')).toContain('fastcgi_param HTTPS off;');
  });

  it("answers 503 on the lock file PHP's own settings name, with headers sent `always`", () => {
    const env = testEnvironment();
    expect(maintenanceLockFile(env)).toBe(oroConfigMap(env).data?.ORO_MAINTENANCE_LOCK_FILE_PATH);
    expect(maintenanceLockFile(env)).toBe('/var/www/oro/var/maintenance/maintenance_lock');
    expect(blockOf(conf(env), 'location ~ ^/index\\.php(/|$)')).toContain('if (-f /var/www/oro/var/maintenance/maintenance_lock) { return 503; }');
    const maintenance = blockOf(conf(env), 'location @maintenance');
    expect(maintenance).toContain('add_header Retry-After 300 always;');
    expect(maintenance.filter((l) => l.startsWith('add_header')).every((l) => l.endsWith(' always;'))).toBe(true);
  });

  it('upgrades /ws with the websocket idle timeout of the way in', () => {
    const ws = blockOf(conf(testEnvironment('test', { web: { websocketTimeoutSeconds: 7200 } })), 'location = /ws');
    expect(ws).toEqual(expect.arrayContaining(['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;', 'proxy_read_timeout 7200s;']));
  });

  it('serves stub_status on 127.0.0.1:8081 to the loopback only', () => {
    const status = conf().slice(conf().lastIndexOf('    server {'));
    expect(status).toContain('listen 127.0.0.1:8081;');
    expect(blockOf(status, 'location = /stub_status')).toEqual(['allow 127.0.0.1;', 'deny all;', 'stub_status;']);
    expect(conf().match(/stub_status;/g)).toHaveLength(1);
  });

  it('takes the upload limit, the PHP timeout and the workers from the settings', () => {
    const env = testEnvironment('test', { web: { clientMaxBodySize: '256m', resources: { limits: { cpu: '1500m' } } }, app: { 'php-fpm': { maxRequestSeconds: 120 } } });
    expect(conf(env)).toContain('client_max_body_size 256m;');
    expect(conf(env)).toContain('fastcgi_read_timeout 120s;');
    expect(workerProcesses(env)).toBe(2);
    expect(conf(env)).toContain('worker_processes 2;');
    expect(workerProcesses(testEnvironment())).toBe(1);
  });

  it('runs in the foreground and writes only under its emptyDir', () => {
    expect(conf()).toContain('daemon off;');
    const paths = conf().match(/^\s*(pid|\w+_temp_path) (\S+);/gm) ?? [];
    expect(paths).toHaveLength(6);
    expect(paths.every((l) => l.includes(' /var/lib/oro-nginx/'))).toBe(true);
  });
});
