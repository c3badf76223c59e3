// What `npm run diff` shows a reviewer for the move of prod from Ingress to the Gateway API: the way in swapped inside the web Application.
import { describe, expect, it } from 'vitest';
import { compareTrees } from '../../scripts/lib/diff/compare.ts';
import { groupChanges } from '../../scripts/lib/diff/group.ts';
import { REPO_ROOT } from '../../scripts/lib/cli.ts';
import { loadEnvironment } from '../../scripts/lib/environment/load.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { renderEnvironmentDocs, toFiles } from '../../scripts/lib/pipeline.ts';
import { COMPONENTS, requiredSecrets } from '../index.ts';

function tree(env: Environment): Map<string, string> {
  const source = 'environments/prod.yaml';
  return new Map(toFiles(renderEnvironmentDocs(env, COMPONENTS, source, requiredSecrets(env)), () => source).map((f) => [f.path, f.content]));
}

describe('diff of a move from Ingress to the Gateway API', () => {
  it('lists the routes added and the Ingresses removed as objects of the web Application, and the AppProject kinds', async () => {
    const prod = await loadEnvironment(REPO_ROOT, 'prod');
    const changes = compareTrees(tree({ ...prod, web: { ...prod.web, exposure: 'ingress' } }), tree(prod));
    expect(changes.map((c) => `${c.change} ${c.label}`)).toEqual([
      'changed AppProject/orocommerce-prod',
      'removed ExternalSecret/orocommerce-tls',
      'added HTTPRoute/webserver-https-redirect',
      'added HTTPRoute/webserver-ws',
      'added HTTPRoute/webserver',
      'removed Ingress/webserver-ws',
      'removed Ingress/webserver',
      'added NetworkPolicy/allow-gateway',
      'removed NetworkPolicy/allow-ingress-controller',
    ]);
    expect(groupChanges(changes).map((g) => g.title)).toEqual(expect.arrayContaining([expect.stringContaining('web')]));
    expect(changes.find((c) => c.label === 'HTTPRoute/webserver')?.lines.join('\n')).toContain('+    - shop.example.com');
  });
});
