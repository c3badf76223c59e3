// Argo CD Applications point at rendered folders that exist, in the wave the registry gives the component they deploy.
import { finding, type Finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';
import { WAVES } from '../../apps/waves.ts';
import { annotation, arr, ofKind, rec, str } from './lib/access.ts';

const ID = 'application-path-exists';
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

function sources(app: RenderedDoc): Array<{ path: string; at: string }> {
  const spec = rec(app.object.spec);
  const single = str(rec(spec.source).path);
  return [
    ...(single === undefined ? [] : [{ path: single, at: 'spec.source.path' }]),
    ...arr(spec.sources).flatMap((s, i) => {
      const path = str(rec(s).path);
      return path === undefined ? [] : [{ path, at: `spec.sources[${i}].path` }];
    }),
  ];
}

function checkSource(app: RenderedDoc, env: string, path: string, at: string, docs: readonly RenderedDoc[]): Finding[] {
  const folder = path.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!docs.some((d) => d.file.startsWith(`${folder}/`))) return [finding(app, ID, at, `${folder} holds no rendered file of environment ${env}`)];
  const component = folder.split('/')[2] ?? '';
  if (!Object.hasOwn(WAVES, component)) return [];
  const out: Finding[] = [];
  const wave = String(WAVES[component as keyof typeof WAVES]);
  const declared = annotation(app, SYNC_WAVE);
  if (declared !== wave) out.push(finding(app, ID, `metadata.annotations.${SYNC_WAVE}`, `sync-wave ${declared ?? '(unset)'} but ${component} is wave ${wave} in apps/waves.ts`));
  const named = app.object.metadata.name;
  const childPrefix = `orocommerce-${env}-`;
  if (named.startsWith(childPrefix) && named !== `${childPrefix}${component}`) out.push(finding(app, ID, at, `${named} deploys ${folder}, the folder of another component`));
  return out;
}

export const rule: Rule = {
  id: ID,
  layer: 'reference',
  description: 'Application source paths into rendered/ exist and the sync-wave equals the registry wave of that component',
  check: (ctx) =>
    ofKind(ctx.docs, 'Application')
      .filter((app) => app.object.apiVersion.startsWith('argoproj.io/'))
      .flatMap((app) => sources(app).filter((s) => s.path.replace(/^\.\//, '').startsWith('rendered/')).flatMap((s) => checkSource(app, ctx.env, s.path, s.at, ctx.docs))),
};
