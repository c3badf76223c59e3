// Review at fleet size: object changes classified, identical environments grouped, a 500-environment comment within GitHub's limit.
import { describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../../../apps/index.ts';
import { parseEnvironment } from '../environment/load.ts';
import { fleetFiles, fleetNames } from '../environment/fleet-fixture.ts';
import { renderEnvironmentDocs, toFiles } from '../pipeline.ts';
import { classifyChange } from './classify.ts';
import { compareTrees } from './compare.ts';
import { fleetView, groupingLine, restartLine } from './fleet.ts';
import { GITHUB_COMMENT_LIMIT, formatMarkdown } from './markdown.ts';
import { withoutName } from './names.ts';
import { buildReport } from './report.ts';
import { formatText } from './text.ts';

const deployment = (image: string, replicas = 2, label = '1') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    v: "${label}"\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`;

describe('classifyChange', () => {
  it('says what a change does on the cluster', () => {
    expect(classifyChange('changed', deployment('a:1'), deployment('a:2'))).toEqual({ class: 'restart', labelsOnly: false });
    expect(classifyChange('changed', deployment('a:1'), deployment('a:1', 3))).toEqual({ class: 'scaling', labelsOnly: false });
    expect(classifyChange('changed', deployment('a:1'), deployment('a:1', 2, '2'))).toEqual({ class: 'metadata', labelsOnly: true });
    expect(classifyChange('changed', 'kind: ConfigMap\ndata:\n  a: "1"\n', 'kind: ConfigMap\ndata:\n  a: "2"\n')).toEqual({ class: 'config', labelsOnly: false });
    expect(classifyChange('changed', 'kind: CronJob\nspec:\n  jobTemplate: {spec: {template: {spec: {x: 1}}}}\n', 'kind: CronJob\nspec:\n  jobTemplate: {spec: {template: {spec: {x: 2}}}}\n').class).toBe('config');
    expect(classifyChange('changed', 'kind: Service\nmetadata:\n  annotations: {a: b}\n', 'kind: Service\nmetadata:\n  annotations: {a: c}\n')).toEqual({ class: 'metadata', labelsOnly: false });
    expect(classifyChange('added', '', deployment('a:1')).class).toBe('added');
  });
});

/** Renders one shop of the fixture fleet for real and copies its tree under every other shop's name. */
function fleetTree(count: number, tag: string): Map<string, string> {
  const files = fleetFiles(1, { tag });
  const env = parseEnvironment('shop-001', files.get('environments/shop-001.yaml')!, 'environments/shop-001.yaml', (f) => files.get(f));
  const one = toFiles(renderEnvironmentDocs(env, COMPONENTS, 'environments/shop-001.yaml', requiredSecrets(env)), () => 'environments/shop-001.yaml');
  const tree = new Map<string, string>();
  for (const name of fleetNames(count)) for (const f of one) tree.set(withoutName(f.path, 'shop-001').replace('<env>', name), withoutName(f.content, 'shop-001').replaceAll('<env>', name));
  return tree;
}

describe('a 500-environment image bump', () => {
  const base = fleetTree(500, '6.1.6');
  const head = fleetTree(500, '6.1.7');
  for (const name of ['shop-007', 'shop-123', 'shop-450']) {
    const file = `rendered/${name}/web/deployment-webserver.yaml`;
    head.set(file, head.get(file)!.replace(/^ {2}replicas: 2$/m, '  replicas: 3'));
  }
  const report = buildReport({ base: { label: 'main', detail: '0123abcd' }, head: { label: 'bump', detail: '4567ef01' }, baseFiles: base, headFiles: head, notes: [], command: 'npm run diff -- --base main --head bump' });
  const view = fleetView(report.groups);

  it('groups the identical environments and names the ones that differ', () => {
    expect(groupingLine(view)).toBe('Same change in 497 environments; 3 differ: shop-007, shop-123, shop-450.');
    expect(view.clusters.map((c) => c.envs.length)).toEqual([497, 3]);
  });

  it('heads the report with which workloads restart where', () => {
    const line = restartLine(view);
    expect(line).toMatch(/^Restarts pods: Deployment\/orocommerce-app, Deployment\/orocommerce-app-consumer, .*Deployment\/webserver.* in 500 environments \(shop-001, shop-002, shop-003, … and 497 more\)/);
    expect(formatText(report, { color: false }).split('\n')[1]).toBe(line);
  });

  it('collapses the version label moving on every other object into one line per group of environments', () => {
    expect(view.clusters[0]!.labels.transitions).toEqual(['app.kubernetes.io/version: 6.1.6 → 6.1.7']);
    expect(view.clusters[0]!.labels.count).toBeGreaterThan(20);
    expect(view.clusters[0]!.groups.flatMap((g) => g.changes).every((c) => !c.labelsOnly)).toBe(true);
  });

  it('keeps the PR comment under GitHub limit and says what it left out and how to see it', () => {
    const md = formatMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('**Restarts pods: Deployment/orocommerce-app');
    expect(md).toContain('Same change in 497 environments; 3 differ: shop-007, shop-123, shop-450.');
    expect(md).toContain('| 497 environments | `orocommerce-<env>-app` |');
    expect(md).toContain('The same in shop-001, shop-002');
    const small = formatMarkdown(report, { maxChars: 8_000 });
    expect(small.length).toBeLessThanOrEqual(8_000);
    expect(small).toMatch(/:warning: \*\*Truncated\.\*\* .* left out to keep this comment under 8,000 characters; the totals above still count them\. See everything locally: `npm run diff -- --base main --head bump`/);
  });
});

describe('compareTrees at fleet scale', () => {
  it('classifies the same change in another environment the same way', () => {
    const changes = compareTrees(
      new Map([['rendered/a/web/d.yaml', deployment('x:1')], ['rendered/b/web/d.yaml', deployment('x:1', 2, '1')]]),
      new Map([['rendered/a/web/d.yaml', deployment('x:2')], ['rendered/b/web/d.yaml', deployment('x:1', 2, '2')]]),
    );
    expect(changes.map((c) => [c.path, c.class, c.labelsOnly])).toEqual([
      ['rendered/a/web/d.yaml', 'restart', false],
      ['rendered/b/web/d.yaml', 'metadata', true],
    ]);
  });
});

describe('grouping details', () => {
  const pod = (env: string, image: string, checksum: string) =>
    `kind: Deployment\nmetadata:\n  name: web\n  namespace: orocommerce-${env}\nspec:\n  template:\n    metadata:\n      annotations:\n        orocommerce.io/config-checksum: ${checksum}\n    spec:\n      containers:\n        - image: ${image}\n`;
  it('sets aside each environment\'s own checksum of its own config, but not a different image', () => {
    const base = new Map(['a', 'b', 'c'].map((e) => [`rendered/${e}/web/d.yaml`, pod(e, 'x:1', `${e}1`.repeat(8))]));
    const head = new Map(['a', 'b'].map((e) => [`rendered/${e}/web/d.yaml`, pod(e, 'x:2', `${e}2`.repeat(8))]));
    head.set('rendered/c/web/d.yaml', pod('c', 'x:3', 'c2'.repeat(8)));
    const view = fleetView(buildReport({ base: { label: 'a', detail: '' }, head: { label: 'b', detail: '' }, baseFiles: base, headFiles: head, notes: [], command: 'x' }).groups);
    expect(groupingLine(view)).toBe('Same change in 2 environments; 1 differ: c.');
  });

  it('cuts rows rather than the whole comment when 500 environments each change differently', () => {
    const base = fleetTree(500, '6.1.6');
    const head = new Map(base);
    for (const [i, name] of fleetNames(500).entries()) {
      const file = `rendered/${name}/web/deployment-webserver.yaml`;
      head.set(file, head.get(file)!.replace(/^ {2}replicas: 2$/m, `  replicas: ${i + 3}`));
      const db = `rendered/${name}/db/service-database-orocommerce.yaml`;
      head.set(db, `${head.get(db)!}# ${i}\n`);
    }
    const md = formatMarkdown(buildReport({ base: { label: 'a', detail: '' }, head: { label: 'b', detail: '' }, baseFiles: base, headFiles: head, notes: [], command: 'npm run diff -- --base a' }));
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.slice(0, 600)).toContain('500 environments change, each differently.');
    expect(md).toMatch(/\| … \| \d+ more rows \| \| \| \|/);
    expect(md).not.toContain('too large for a comment');
    expect(md).toContain('See everything locally: `npm run diff -- --base a`');
  });
});
