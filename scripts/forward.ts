// npm run forward: shop, Grafana, Prometheus and PostgreSQL of an environment on localhost, until Ctrl-C.
import { isMain, UsageError } from './lib/cli.ts';
import { COMMON_USAGE, parseClusterArgs } from './lib/cluster/args.ts';
import { ClusterError, connect, EXIT } from './lib/cluster/client.ts';
import { loadTarget } from './lib/cluster/environment.ts';
import { FORWARDS, startForwards, type ForwardSpec } from './lib/cluster/forward.ts';
import { runCommand } from './lib/cluster/main.ts';
import { REPO_ROOT } from './lib/paths.ts';

export const USAGE = `usage: npm run forward -- --env NAME [--port NAME=LOCALPORT]... [--context NAME] [--kubeconfig FILE] [-n NS]
  Forwards, on 127.0.0.1: ${FORWARDS.map((f) => `${f.name} ${f.localPort} -> ${f.service}:${f.servicePort}`).join(', ')}.
  Each connection goes to a ready pod of the Service, resolved afresh, so restarted pods are picked up.
  Stops cleanly on Ctrl-C.
${COMMON_USAGE}
  --port NAME=PORT     another local port for one forward (0 picks a free one), e.g. --port postgresql=15432`;

/** Applies `--port name=port` overrides to the default forwards. */
export function withPorts(overrides: readonly string[]): ForwardSpec[] {
  const specs = FORWARDS.map((f) => ({ ...f }));
  for (const o of overrides) {
    const m = /^([a-z]+)=(\d+)$/.exec(o);
    const spec = m ? specs.find((s) => s.name === m[1]) : undefined;
    if (!m || !spec || Number(m[2]) > 65535) throw new UsageError(`--port ${o}: expected NAME=PORT with NAME one of ${FORWARDS.map((f) => f.name).join(', ')}\n\n${USAGE}`);
    spec.localPort = Number(m[2]);
  }
  return specs;
}

export async function main(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values } = parseClusterArgs(argv, USAGE, { port: { type: 'string', multiple: true } }, { output: false });
  if (common.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const specs = withPorts(values.port ?? []);
  const target = await loadTarget(root, common.env, common.namespace);
  const cluster = connect(common);
  // Fail before listening when the cluster cannot be reached or read, or holds no such namespace.
  if (!(await cluster.get('v1', 'Namespace', undefined, target.namespace))) {
    throw new ClusterError(`namespace ${target.namespace} does not exist on the cluster at ${cluster.server}: deploy the environment first (npm run bootstrap -- --env ${target.env.name})`, 404);
  }
  const forwarding = await startForwards(cluster, target.namespace, specs, (line) => process.stderr.write(`forward: ${line}\n`)).catch((e: Error) => {
    throw new UsageError(e.message);
  });
  for (const s of specs) process.stdout.write(`${s.name.padEnd(10)} ${s.url(forwarding.ports[s.name]!)}  -> svc/${s.service}:${s.servicePort}\n`);
  process.stdout.write('Forwarding; Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await forwarding.close();
  process.stdout.write('forward: stopped\n');
  return EXIT.ok;
}

if (isMain(import.meta.url)) await runCommand('forward', () => main(process.argv.slice(2)));
