// npm run bootstrap: server-side apply of the argocd-cm health checks, the AppProject and the root Application of one environment.
import { isMain, REPO_ROOT } from './lib/cli.ts';
import { COMMON_USAGE, parseClusterArgs } from './lib/cluster/args.ts';
import { appliedLine, bootstrap } from './lib/cluster/bootstrap.ts';
import { connect, EXIT, FIELD_MANAGER } from './lib/cluster/client.ts';
import { loadTarget } from './lib/cluster/environment.ts';
import { runCommand } from './lib/cluster/main.ts';

export const USAGE = `usage: npm run bootstrap -- --env NAME [--dry-run] [-o json] [--context NAME] [--kubeconfig FILE]
  Applies, server-side with field manager ${FIELD_MANAGER}, rendered/argocd/configmap-argocd-cm.yaml and the
  environment's AppProject and root Application to Argo CD's cluster (the kubeconfig context). Idempotent.
  Refuses (exit 4) when Argo CD's CRDs or its namespace are missing.
${COMMON_USAGE}
  --dry-run            let the API server check everything (server-side dry run) and persist nothing
  -o, --output json    the applied objects as JSON: kind, name, namespace, result (created, configured, unchanged), dryRun`;

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values } = parseClusterArgs(argv, USAGE, { 'dry-run': { type: 'boolean' } });
  if (common.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const target = await loadTarget(root, common.env);
  const applied = await bootstrap(connect(common), target, { dryRun: values['dry-run'] === true });
  process.stdout.write(common.json ? `${JSON.stringify({ applied })}\n` : `${applied.map(appliedLine).join('\n')}\n`);
  return EXIT.ok;
}

if (isMain(import.meta.url)) await runCommand('bootstrap', () => main(process.argv.slice(2)));
