// What `npm run restore` and `npm run clone` share: the confirmation flag, the Job's name, and what to check after creating it.
import type { Environment } from '../environment/schema.ts';
import type { ClusterTarget } from './cluster.ts';

export const PROD_CONFIRMATION = '--yes-really-restore-prod';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const processIo: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** database-restore-<UTC stamp>, unique per run and readable in `kubectl get jobs`. */
export function jobName(now: Date): string {
  return `database-restore-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}`;
}

/** The commands to follow the Job and finish the restore, with the same --context/--kubeconfig. */
export function afterCreate(env: Environment, name: string, target: ClusterTarget): string {
  const flags = [target.kubeconfig ? `--kubeconfig ${target.kubeconfig}` : '', target.context ? `--context ${target.context}` : ''].filter(Boolean).join(' ');
  const kubectl = `kubectl ${flags ? `${flags} ` : ''}-n ${env.destination.namespace}`;
  return [
    `created job/${name} in ${env.destination.namespace}; the shop is in maintenance from its first step.`,
    `Follow it:   ${kubectl} logs -f job/${name} --all-containers`,
    `It worked:   ${kubectl} get job ${name} -o jsonpath='{.status.succeeded}'   prints 1`,
    `Then:        argocd app sync orocommerce-${env.name}-init-jobs   (migrates, warms the cache, turns maintenance off)`,
    '',
  ].join('\n');
}
