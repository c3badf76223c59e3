// npm run dev-secrets: creates the Secrets a preexisting-secrets environment (dev) needs, with random values never printed.
import { requiredSecrets } from '../apps/index.ts';
import { isMain, REPO_ROOT } from './lib/cli.ts';
import { COMMON_USAGE, parseClusterArgs } from './lib/cluster/args.ts';
import { connect, EXIT } from './lib/cluster/client.ts';
import { createDevSecrets } from './lib/cluster/dev-secrets.ts';
import { loadTarget } from './lib/cluster/environment.ts';
import { runCommand } from './lib/cluster/main.ts';

export const USAGE = `usage: npm run dev-secrets -- --env NAME [--dry-run] [-o json] [--context NAME] [--kubeconfig FILE] [-n NS]
  Creates every Secret and key the environment's pods reference (as listed in rendered/README.md) with
  strong random values that are never printed. An existing Secret is never changed. Refuses environments
  whose Secrets come from a secret store (secrets.provider: external-secrets). Creates the rendered
  Namespace first when it does not exist yet.
${COMMON_USAGE}
  --dry-run            let the API server check the Secrets and persist nothing
  -o, --output json    the Secret names, keys and what was done (never values)`;

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values } = parseClusterArgs(argv, USAGE, { 'dry-run': { type: 'boolean' } });
  if (common.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const target = await loadTarget(root, common.env, common.namespace);
  const dryRun = values['dry-run'] === true;
  const plan = await createDevSecrets(connect(common), target, requiredSecrets(target.env), { dryRun });
  if (common.json) process.stdout.write(`${JSON.stringify({ namespace: target.namespace, secrets: plan })}\n`);
  else {
    const verb = { create: dryRun ? 'would be created' : 'created', exists: 'exists, left as it is', skip: 'skipped' } as const;
    for (const a of plan) process.stdout.write(`Secret/${a.name} (${a.keys.join(', ')}): ${verb[a.action]}${a.note ? ` (${a.note})` : ''}\n`);
  }
  return plan.some((a) => a.action === 'skip' || a.note) ? EXIT.findings : EXIT.ok;
}

if (isMain(import.meta.url)) await runCommand('dev-secrets', () => main(process.argv.slice(2)));
