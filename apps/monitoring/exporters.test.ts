// The exporter containers: pinned images, a `metrics` port, probes on it, small resources, a locked-down context.
import type { V1Container } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { podSpecViolations } from '../../scripts/rules/lib/pss.ts';
import { METRICS_PORT_NAME, nginxExporterContainer, NGINX_STUB_STATUS_PORT, phpFpmExporterContainer } from './exporters.ts';

const env = testEnvironment('prod');

describe.each([
  ['php-fpm', phpFpmExporterContainer(env), 'hipages/php-fpm_exporter:', 9253],
  ['nginx', nginxExporterContainer(env), 'nginx/nginx-prometheus-exporter:', 9113],
] as const)('%s exporter', (_, c: V1Container, repository, port) => {
  it('runs a pinned image, never latest', () => {
    expect(c.image).toMatch(new RegExp(`^${repository}\\d+\\.\\d+\\.\\d+$`));
  });

  it('listens on a port named metrics', () => {
    expect(c.ports).toEqual([{ name: METRICS_PORT_NAME, containerPort: port, protocol: 'TCP' }]);
  });

  it('is probed over HTTP on its landing page, which never waits for the scraped server', () => {
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe?.httpGet).toEqual({ path: '/', port: METRICS_PORT_NAME });
    }
  });

  it('has small requests and limits', () => {
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } });
  });

  it('passes the restricted Pod Security profile with a non-zero numeric uid and a read-only root', () => {
    expect(podSpecViolations({ containers: [c] })).toEqual([]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.securityContext?.runAsUser).toBeGreaterThan(0);
  });
});

describe('scrape targets on the pod loopback', () => {
  it('reads FPM status over FastCGI from 127.0.0.1:9000', () => {
    expect(phpFpmExporterContainer(env).args).toContain('--phpfpm.scrape-uri=tcp://127.0.0.1:9000/status');
  });

  it("reads stub_status from the loopback-only server of the webserver's nginx.conf", () => {
    expect(nginxExporterContainer(env).args).toContain(`--nginx.scrape-uri=http://127.0.0.1:${NGINX_STUB_STATUS_PORT}/stub_status`);
  });

  it('takes image and resources from the environment', () => {
    const custom = testEnvironment('dev', {
      monitoring: { exporters: { nginx: { repository: 'mirror.example/nginx-exporter', tag: '1.5.3' }, resources: { limits: { memory: '128Mi' } } } },
    });
    const c = nginxExporterContainer(custom);
    expect(c.image).toBe('mirror.example/nginx-exporter:1.5.3');
    expect(c.resources?.limits).toEqual({ cpu: '100m', memory: '128Mi' });
  });
});
