// npm run status: the environment's Applications in wave order, and what holds back anything not Healthy.
import { setTimeout as sleep } from 'node:timers/promises';
import { isMain, REPO_ROOT, UsageError } from './lib/cli.ts';
import { COMMON_USAGE, parseClusterArgs } from './lib/cluster/args.ts';
import { connect, EXIT } from './lib/cluster/client.ts';
import { formatRows, type AppRow } from './lib/cluster/diagnose.ts';
import { loadTarget } from './lib/cluster/environment.ts';
import { runCommand } from './lib/cluster/main.ts';
import { allReady, collectStatus } from './lib/cluster/status.ts';

export const USAGE = `usage: npm run status -- --env NAME [--watch] [-o json] [--context NAME] [--argocd-context NAME] [--kubeconfig FILE] [-n NS]
  Root and child Applications in wave order with sync status, health, operation phase and revision;
  under anything not Healthy, the first live object that holds it back and why.
  Exit 0 only when every Application is Synced and Healthy; 1 otherwise; 4 when the cluster cannot be read.
${COMMON_USAGE}
  --argocd-context NAME  read the Applications through this context, where Argo CD runs (argocd.server), when
                       it is not the environment's cluster (default: --context)
  --watch              refresh every --interval seconds until Ctrl-C
  --interval SECONDS   refresh period for --watch (default 5)
  -o, --output json    one JSON document (a JSON line per refresh with --watch)`;

function render(rows: readonly AppRow[], json: boolean): string {
  return json ? `${JSON.stringify({ ready: allReady(rows), applications: rows })}\n` : formatRows(rows);
}

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values } = parseClusterArgs(argv, USAGE, { watch: { type: 'boolean' }, interval: { type: 'string' }, 'argocd-context': { type: 'string' } });
  if (common.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const interval = Number(values.interval ?? 5);
  if (!(interval > 0)) throw new UsageError(`--interval ${values.interval}: expected a number of seconds above 0`);
  const target = await loadTarget(root, common.env, common.namespace);
  const cluster = connect(common);
  const argocd = values['argocd-context'] ? connect({ ...common, context: values['argocd-context'] }) : cluster;
  let rows = await collectStatus(cluster, target, argocd);
  process.stdout.write(render(rows, common.json));
  if (!values.watch) return allReady(rows) ? EXIT.ok : EXIT.findings;
  let last = render(rows, common.json);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  while (!stop.signal.aborted) {
    await sleep(interval * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
    if (stop.signal.aborted) break;
    rows = await collectStatus(cluster, target, argocd);
    const now = render(rows, common.json);
    if (now === last) continue;
    last = now;
    // A terminal gets the table redrawn in place; a pipe gets each changed state appended.
    process.stdout.write(process.stdout.isTTY && !common.json ? `\x1b[2J\x1b[H${now}` : now);
  }
  return allReady(rows) ? EXIT.ok : EXIT.findings;
}

if (isMain(import.meta.url)) await runCommand('status', () => main(process.argv.slice(2)));
