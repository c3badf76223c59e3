// The `--server` mode of `npm run validate`: parses its flags, runs the dry run, prints findings like the offline validation.
import { REPO_ROOT, UsageError } from '../cli.ts';
import { FORMATS, formatFindings, type Format } from '../validate/format.ts';
import { sortFindings } from '../validate/types.ts';
import { COMMON_USAGE, parseClusterArgs } from './args.ts';
import { connect, EXIT } from './client.ts';
import { loadTarget } from './environment.ts';
import { runCommand } from './main.ts';
import { SERVER_RULES, validateOnServer } from './server-validate.ts';

export const SERVER_USAGE = `usage: npm run validate -- --server --env NAME [--format text|json|junit] [--context NAME] [--kubeconfig FILE]
  Server-side dry-run apply of every rendered object of the environment, in wave order, against the cluster
  of the kubeconfig context: API validation and admission (Pod Security included, through a dry-run Pod per
  workload) report what they reject. Nothing is persisted. Exit 1 on findings, 4 when the cluster cannot be used.
  The API server's warnings (Pod Security's warn level, deprecations) are printed to stderr and do not fail.
${COMMON_USAGE}
  --format FORMAT      text (default), json or junit, as the offline validation`;

export async function serverValidate(argv: readonly string[], root = REPO_ROOT): Promise<number> {
  const { common, values } = parseClusterArgs(argv, SERVER_USAGE, { format: { type: 'string' } }, { output: false });
  if (common.help) {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return EXIT.ok;
  }
  const format = (values.format ?? 'text') as Format;
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected one of ${FORMATS.join(', ')}`);
  const target = await loadTarget(root, common.env);
  // Warnings go to stderr as kubectl prints them, de-duplicated (a workload and its dry-run pod warn alike); they do not fail the run.
  const warnings = new Set<string>();
  const findings = sortFindings(
    await validateOnServer(connect(common), target.docs, target.env.name, { onWarning: (p, w) => warnings.add(`warning: ${p.file} ${p.object.kind}/${p.object.metadata.name}: ${w}`) }),
  );
  for (const w of warnings) process.stderr.write(`${w}\n`);
  const documents = target.docs.filter((d) => d.env === target.env.name).length;
  process.stdout.write(formatFindings(format, findings, { documents, environments: 1 }, [...SERVER_RULES]));
  return findings.length > 0 ? EXIT.findings : EXIT.ok;
}

/** Entry from scripts/validate.ts when `--server` is among the arguments. */
export function serverValidateMain(argv: readonly string[]): Promise<void> {
  return runCommand('validate --server', () => serverValidate(argv));
}
