// An environment on Ingress renders exactly what prod rendered before the Gateway API became the default.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, requiredSecrets } from '../index.ts';
import { REPO_ROOT } from '../../scripts/lib/cli.ts';
import { loadEnvironment } from '../../scripts/lib/environment/load.ts';
import { renderEnvironmentDocs, toFiles } from '../../scripts/lib/pipeline.ts';

/** rendered/prod/web's Ingresses, certificate and controller policy, copied before the switch (commit "Keep today's prod Ingress…"). */
const FIXTURES = fileURLToPath(new URL('./fixtures/ingress-prod/', import.meta.url));

describe('prod on Ingress', () => {
  it('renders its Ingresses, certificate and ingress controller policy byte for byte as before', async () => {
    const prod = await loadEnvironment(REPO_ROOT, 'prod');
    // Only the setting changes: the Gateway settings prod also carries are ignored on Ingress.
    const env = { ...prod, web: { ...prod.web, exposure: 'ingress' as const } };
    const source = 'environments/prod.yaml';
    const files = toFiles(renderEnvironmentDocs(env, COMPONENTS, source, requiredSecrets(env)), () => source);
    const web = new Map(files.filter((f) => f.path.startsWith('rendered/prod/web/')).map((f) => [f.path.slice('rendered/prod/web/'.length), f.content]));
    const expected = readdirSync(FIXTURES).sort();
    expect(expected).toEqual(['externalsecret-orocommerce-tls.yaml', 'ingress-webserver-ws.yaml', 'ingress-webserver.yaml', 'networkpolicy-allow-ingress-controller.yaml']);
    for (const file of expected) expect(web.get(file), file).toBe(readFileSync(join(FIXTURES, file), 'utf8'));
    expect([...web.keys()].filter((f) => /^(httproute|referencegrant|networkpolicy-allow-gateway)/.test(f))).toEqual([]);
  });
});
