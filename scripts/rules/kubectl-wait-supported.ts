// A `kubectl wait --for=create` runs in a kubectl image new enough to wait for a label selector (1.33).
import { finding, type Rule } from '../lib/validate/types.ts';
import { arr, str } from './lib/access.ts';
import { containers, podTemplates } from './lib/workloads.ts';

/**
 * `--for=create` exists since kubectl 1.31, but until 1.32 a selector that matched nothing counted as created, so the
 * wait returned at once and the next one failed with "no matching resources found" (kubectl v0.32.4 vs v0.33.0,
 * pkg/cmd/wait/wait.go). Only a version tag of the official image can be read; another image is reported too.
 */
const MIN_MINOR = 33;
const OFFICIAL = /^registry\.k8s\.io\/kubectl:v1\.(\d+)\.\d+(@sha256:[a-f0-9]{64})?$/;

function problem(image: string | undefined): string | undefined {
  const m = OFFICIAL.exec(image ?? '');
  if (!m) return `${image ?? 'no image'} is not registry.k8s.io/kubectl:v1.<minor>.<patch>, so its kubectl cannot be told to wait for a selector to match`;
  return Number(m[1]) < MIN_MINOR ? `kubectl 1.${m[1]} returns from --for=create before a selector matches anything; use registry.k8s.io/kubectl 1.${MIN_MINOR} or newer` : undefined;
}

export const rule: Rule = {
  id: 'kubectl-wait-supported',
  layer: 'policy',
  description: 'kubectl wait --for=create runs in registry.k8s.io/kubectl 1.33 or newer',
  check: (ctx) =>
    podTemplates(ctx.docs).flatMap((t) =>
      containers(t).flatMap((c) => {
        const argv = [...arr(c.container.command), ...arr(c.container.args)].map(str);
        if (!argv.includes('wait') || !argv.includes('--for=create')) return [];
        const why = problem(str(c.container.image));
        return why ? [finding(t.doc, 'kubectl-wait-supported', `${c.path}.image`, why)] : [];
      }),
    ),
};
