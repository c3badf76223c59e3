// npm run validate: checks rendered/ against schemas, policy and cross-reference rules; exit 1 on findings, 2 on usage errors.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, isMain, reportError } from './lib/cli.ts';
import { withLock } from './lib/lock.ts';
import { FORMATS, formatFindings, type Format } from './lib/validate/format.ts';
import { validateDocs } from './lib/validate/index.ts';
import { loadRendered, locate, type Loaded } from './lib/validate/load-rendered.ts';
import { RULES } from './lib/validate/rules.ts';
import { availableKubernetesVersions } from './lib/validate/schema.ts';
import { serverValidateMain } from './lib/cluster/server-validate-cli.ts';
import { sortFindings } from './lib/validate/types.ts';
import { recover } from './lib/writer.ts';
import { EXCEPTIONS, type RuleException } from './rules/exceptions.ts';

export const USAGE = `usage: npm run validate -- [--env NAME]... [--format text|json|junit] [--root DIR] [--kubernetes-version 1.33]
  --env NAME               validate only this environment (repeatable, or comma-separated); default: all of rendered/
  --format FORMAT          text (default), json or junit
  --root DIR               repository root holding rendered/ (default: the current directory)
  --kubernetes-version V   Kubernetes minor version to validate schemas against (default: 1.33)
  --server                 dry-run apply to the cluster of the kubeconfig instead (--server --help for its flags)`;

export interface CliOptions {
  envs: string[];
  format: Format;
  root: string;
  kubernetesVersion: string;
  help: boolean;
}

export class UsageError extends Error {}

/** Parses `--flag value` and `--flag=value`; anything unknown is a usage error, never ignored. */
export function parseArgs(argv: readonly string[], cwd: string): CliOptions {
  const options: CliOptions = { envs: [], format: 'text', root: cwd, kubernetesVersion: '1.33', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!['--env', '--format', '--root', '--kubernetes-version'].includes(flag)) throw new UsageError(`unknown argument ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--env') options.envs.push(...value.split(',').filter((e) => e !== ''));
    else if (flag === '--root') options.root = resolve(cwd, value);
    else if (flag === '--kubernetes-version') {
      if (!/^1\.\d+$/.test(value)) throw new UsageError(`--kubernetes-version ${value}: expected a minor version such as 1.33`);
      options.kubernetesVersion = value;
    } else {
      if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format ${value}: expected one of ${FORMATS.join(', ')}`);
      options.format = value as Format;
    }
  }
  return options;
}

/** Loads, filters to the requested environments, validates and formats. Throws UsageError for an unknown environment or version. */
export function runValidate(
  options: CliOptions,
  load: (root: string) => Loaded = loadRendered,
  exceptions: readonly RuleException[] = EXCEPTIONS,
): { output: string; exitCode: number } {
  const versions = availableKubernetesVersions();
  if (!versions.includes(options.kubernetesVersion)) {
    throw new UsageError(`--kubernetes-version ${options.kubernetesVersion}: no vendored schemas (available: ${versions.join(', ') || 'none'})`);
  }
  const loaded = load(options.root);
  if (loaded.docs.length === 0 && loaded.findings.length === 0) throw new UsageError(`nothing to validate: ${options.root}/rendered holds no YAML file`);
  const known = new Set([...loaded.docs.map((d) => d.env), ...loaded.findings.map((f) => locate(f.file).env)].filter((e) => e !== ''));
  const unknown = options.envs.filter((e) => !known.has(e));
  if (unknown.length > 0) throw new UsageError(`no rendered environment ${unknown.join(', ')} (rendered: ${[...known].sort().join(', ') || 'none'})`);
  // Shared files outside an environment (rendered/argocd) belong to a full run only.
  const wanted = (env: string) => (options.envs.length === 0 ? true : options.envs.includes(env));
  const docs = loaded.docs.filter((d) => wanted(d.env));
  const findings = sortFindings([
    ...loaded.findings.filter((f) => wanted(locate(f.file).env)),
    ...validateDocs(docs, { kubernetesVersion: options.kubernetesVersion, exceptions }),
  ]);
  const summary = { documents: docs.length, environments: new Set(docs.map((d) => d.env).filter((e) => e !== '')).size };
  const output = formatFindings(options.format, findings, summary, RULES.map((r) => r.id));
  return { output, exitCode: findings.length > 0 ? 1 : 0 };
}

/** Exit codes: 0 clean, 1 findings, 2 usage, 3 bug, 4 file-system error, 5 a render holds the lock too long. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // --server: the dry run against a live cluster (scripts/lib/cluster/server-validate-cli.ts).
  if (argv.includes('--server')) return serverValidateMain(argv.filter((a) => a !== '--server'));
  try {
    const options = parseArgs(argv, process.cwd());
    if (options.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    if (!existsSync(options.root)) throw new UsageError(`--root ${options.root}: no such folder`);
    // Holding the checkout lock: never read rendered/ while a render swaps it, and finish a killed one first.
    const { output, exitCode } = await withLock(
      options.root,
      async () => {
        const recovered = await recover(options.root);
        if (recovered.message) process.stderr.write(`validate: ${recovered.message}\n`);
        return runValidate(options);
      },
      { command: 'npm run validate', readOnlyOk: true, onWait: (o) => process.stderr.write(`validate: waiting for ${o ? `${o.command} (pid ${o.pid})` : 'another process'} to finish writing rendered/\n`) },
    );
    process.stdout.write(output);
    process.exitCode = exitCode;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`validate: ${e.message}\n${USAGE}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.exitCode = reportError(e, (s) => process.stderr.write(`validate: ${s}`));
    }
  }
}

if (isMain(import.meta.url)) await main();
