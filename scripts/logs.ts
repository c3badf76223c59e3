// npm run logs: follows the logs of a component's pods and Jobs (the init jobs first of all).
import { isMain, REPO_ROOT, UsageError } from './lib/cli.ts';
import { COMMON_USAGE, parseClusterArgs } from './lib/cluster/args.ts';
import { connect, EXIT } from './lib/cluster/client.ts';
import { loadTarget } from './lib/cluster/environment.ts';
import { followLogs } from './lib/cluster/logs.ts';
import { runCommand } from './lib/cluster/main.ts';

export const USAGE = `usage: npm run logs -- --env NAME COMPONENT [--no-follow] [--tail N] [--context NAME] [--kubeconfig FILE] [-n NS]
  Follows every container of the component's pods (label app.kubernetes.io/component), the pods of its Jobs
  first in sync-wave order (logs init-jobs: volume-init, then install or restore), and attaches to new pods
  as they appear, until Ctrl-C. COMPONENT is a folder of rendered/NAME/ (init-jobs, app, web, db, ...).
${COMMON_USAGE}
  --no-follow          print what is there and exit (1 when no log could be read)
  --tail N             start with the last N lines of each container`;

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values, positionals } = parseClusterArgs(argv, USAGE, { 'no-follow': { type: 'boolean' }, tail: { type: 'string' } }, { positionals: true, output: false });
  if (common.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const target = await loadTarget(root, common.env, common.namespace);
  const components = [...new Set(target.docs.filter((d) => d.env === target.env.name && !['apps', 'bootstrap'].includes(d.component)).map((d) => d.component))].sort();
  const [component, ...extra] = positionals;
  if (!component || extra.length > 0 || !components.includes(component)) throw new UsageError(`expected one COMPONENT of ${components.join(', ')}\n\n${USAGE}`);
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) throw new UsageError(`--tail ${values.tail}: expected a whole number`);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const follow = values['no-follow'] !== true;
  const read = await followLogs(connect(common), target.namespace, component, {
    follow,
    ...(tail !== undefined ? { tail } : {}),
    poll: 5,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(`logs: ${s}`),
    signal: stop.signal,
  });
  return follow || read > 0 ? EXIT.ok : EXIT.findings;
}

if (isMain(import.meta.url)) await runCommand('logs', () => main(process.argv.slice(2)));
