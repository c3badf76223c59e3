// Which environments and folders a change affects: through extends, profiles, the render's import graph and rendered/.
import { describe, expect, it } from 'vitest';
import { computeAffected, type AffectedContext } from './compute.ts';

const ctx: AffectedContext = {
  chains: new Map([
    ['dev', ['dev', 'profiles/base']],
    ['prod', ['prod', 'profiles/prod', 'profiles/base']],
    ['prod-eu', ['prod-eu', 'prod', 'profiles/prod', 'profiles/base']],
  ]),
  components: ['pvcs', 'db', 'web'],
  renderInputs: new Set(['apps/web/settings.ts', 'apps/lib/config.ts', 'scripts/lib/pipeline.ts']),
};
const ALL = ['pvcs', 'db', 'web', 'apps', 'bootstrap'];
const names = (files: string[]) => computeAffected(files, ctx).environments.map((e) => `${e.name}: ${e.folders.join(' ')}`);

describe('computeAffected', () => {
  it('follows environment files to what extends them, and profiles to every environment built on them', () => {
    expect(names(['environments/prod.yaml'])).toEqual([`prod: ${ALL.join(' ')}`, `prod-eu: ${ALL.join(' ')}`]);
    expect(names(['environments/profiles/prod.yaml'])).toEqual([`prod: ${ALL.join(' ')}`, `prod-eu: ${ALL.join(' ')}`]);
    expect(names(['environments/profiles/base.yaml'])).toHaveLength(3);
    expect(computeAffected(['environments/prod.yaml'], ctx).environments[1]!.reasons).toEqual(['environments/prod.yaml (extended by prod-eu)']);
  });

  it('maps a component source to that component (and what is derived from it) everywhere, shared code to everything', () => {
    expect(names(['apps/web/settings.ts'])).toEqual(['dev: pvcs web apps', 'prod: pvcs web apps', 'prod-eu: pvcs web apps']);
    expect(names(['scripts/lib/pipeline.ts'])[0]).toBe(`dev: ${ALL.join(' ')}`);
  });

  it('takes rendered folders as they are, and ignores tests, docs and other tools', () => {
    expect(names(['rendered/prod/web/deployment-webserver.yaml', 'rendered/prod/apps/application-x.yaml'])).toEqual(['prod: web apps']);
    expect(computeAffected(['rendered/argocd/configmap-argocd-cm.yaml', 'kustomization.yaml'], ctx)).toEqual({ environments: [], shared: ['kustomization.yaml', 'rendered/argocd/configmap-argocd-cm.yaml'] });
    expect(names(['apps/web/index.test.ts', 'README.md', 'scripts/diff.ts', 'environments/schema.json', 'environments/profiles/schema.json'])).toEqual([]);
  });

  it('still names an environment whose file was removed', () => {
    expect(names(['environments/qa.yaml'])).toEqual([`qa: ${ALL.join(' ')}`]);
  });
});
