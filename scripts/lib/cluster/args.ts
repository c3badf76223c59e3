// Command-line flags shared by the cluster commands, named as kubectl names them (--context, --kubeconfig, -n, -o).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../cli.ts';
import type { KubeOptions } from './client.ts';

/** kubectl's connection flags plus the environment every command works on. */
export const COMMON_FLAGS = {
  env: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const COMMON_USAGE = `  --env NAME           the environment (environments/NAME.yaml, rendered/NAME/)
  --context NAME       kubeconfig context (default: its current-context)
  --kubeconfig FILE    kubeconfig file (default: KUBECONFIG, then ~/.kube/config)
  -n, --namespace NS   the environment's namespace on the cluster (default: destination.namespace)`;

export interface CommonArgs extends KubeOptions {
  env: string;
  namespace?: string;
  json: boolean;
  help: boolean;
}

/** Parses strictly; `extra` adds command flags. Unknown flags and a missing --env are usage errors. */
export function parseClusterArgs<E extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  usage: string,
  extra: E = {} as E,
  opts: { positionals?: boolean; output?: boolean } = {},
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON_FLAGS, ...extra }, strict: true, allowPositionals: opts.positionals ?? false });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
  const v = parsed.values as Record<string, unknown>;
  const output = v.output as string | undefined;
  if (output !== undefined && (opts.output === false || output !== 'json')) {
    throw new UsageError(opts.output === false ? `--output is not supported here\n\n${usage}` : `--output ${output}: only json is supported\n\n${usage}`);
  }
  const common: CommonArgs = {
    env: (v.env as string | undefined) ?? '',
    context: v.context as string | undefined,
    kubeconfig: v.kubeconfig as string | undefined,
    namespace: v.namespace as string | undefined,
    json: output === 'json',
    help: v.help === true,
  };
  if (!common.help && common.env === '') throw new UsageError(`--env is required\n\n${usage}`);
  return { common, values: parsed.values, positionals: parsed.positionals };
}
