// Editing an environment file: only the promoted values change; comments, quoting and Renovate markers stay.
import { describe, expect, it } from 'vitest';
import { editEnvironmentFile, plainIsSafe } from './edit.ts';
import type { Change } from './plan.ts';

const tag = (path: string[], from: string | undefined, to: string | undefined): Change => ({ kind: 'image', path, from, to });

const STAGING = `domain: staging.shop.example.com
oro:
  image:
    # renovate: datasource=docker depName=oroinc/orocommerce-application
    tag: 6.1.7
monitoring:
  stack:
    retention: 7d
    # renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    chartVersion: 93.0.0
`;

describe('editEnvironmentFile', () => {
  it('replaces existing values byte for byte, hand formatting and quote style included', () => {
    const prod = `# Production.\ndomain:   shop.example.com\noro:\n  image:\n    # renovate: datasource=docker depName=oroinc/orocommerce-application\n    tag: 6.1.6    # what prod runs\n  initImage: { tag: '6.1.6' }\n\n\nweb:\n- a\n`;
    const edited = editEnvironmentFile(prod, [tag(['oro', 'image', 'tag'], '6.1.6', '6.1.7'), tag(['oro', 'initImage', 'tag'], '6.1.6', '6.1.7')], STAGING);
    expect(edited).toEqual({ text: prod.replace('tag: 6.1.6 ', 'tag: 6.1.7 ').replace("tag: '6.1.6'", "tag: '6.1.7'"), reformatted: false });
  });

  it('quotes a value that YAML 1.1 or 1.2 would read as something else', () => {
    const prod = 'domain: shop.example.com\noro:\n  image:\n    tag: 6.1.6\n';
    expect(editEnvironmentFile(prod, [tag(['oro', 'image', 'tag'], '6.1.6', '6.10')], STAGING).text).toContain('tag: "6.10"\n');
    expect(['6.1.7', 'v1.2.3', '17.2-alpine'].every(plainIsSafe)).toBe(true);
    expect(['6.10', 'no', '0777', '1e3', '12:30', 'a #b'].some(plainIsSafe)).toBe(false);
  });

  it('adds missing keys under their parents with the source Renovate marker above them', () => {
    const prod = '# Production.\ndomain: shop.example.com\nmonitoring:\n  stack:\n    retention: 30d # a month\n';
    const edited = editEnvironmentFile(
      prod,
      [tag(['oro', 'image', 'tag'], '6.1.6', '6.1.7'), { kind: 'chart', path: ['monitoring', 'stack', 'chartVersion'], from: '92.1.0', to: '93.0.0' }],
      STAGING,
    );
    expect(edited).toEqual({
      text: `# Production.
domain: shop.example.com
monitoring:
  stack:
    retention: 30d # a month
    # renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    chartVersion: 93.0.0
oro:
  image:
    # renovate: datasource=docker depName=oroinc/orocommerce-application
    tag: 6.1.7
`,
      reformatted: false,
    });
  });

  it('removes a digest the source does not pin, and the mapping it leaves empty', () => {
    const prod = `domain: shop.example.com\noro:\n  image:\n    digest: sha256:${'a'.repeat(64)}\n  env: prod\n`;
    expect(editEnvironmentFile(prod, [tag(['oro', 'image', 'digest'], 'sha256:…', undefined)], STAGING).text).toBe('domain: shop.example.com\noro:\n  env: prod\n');
  });

  it('says when adding a key also normalised hand formatting elsewhere', () => {
    const prod = 'domain:   shop.example.com\n';
    expect(editEnvironmentFile(prod, [tag(['oro', 'image', 'tag'], '6.1.6', '6.1.7')], STAGING)).toEqual({
      text: 'domain: shop.example.com\noro:\n  image:\n    # renovate: datasource=docker depName=oroinc/orocommerce-application\n    tag: 6.1.7\n',
      reformatted: true,
    });
  });
});
