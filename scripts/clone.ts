// `npm run clone`: restore one environment's off-cluster backup into another (prod into staging), anonymising customer data.
import { stringify } from 'yaml';
import { isMain, parseCli, REPO_ROOT, runMain, UsageError } from './lib/cli.ts';
import { loadEnvironment } from './lib/environment/load.ts';
import { createJob, type ClusterTarget } from './lib/restore/cluster.ts';
import { afterCreate, jobName, PROD_CONFIRMATION, type Io, processIo } from './lib/restore/cli.ts';
import { BackupIdError, parseBackupId, restoreJob } from './lib/restore/job.ts';

const USAGE = `usage: npm run clone -- --from ENV --to ENV --backup offsite:<YYYYMMDDTHHMMSSZ> [--no-anonymise]
       [--source-secret NAME] [--context NAME] [--kubeconfig FILE] [--dry-run] [${PROD_CONFIRMATION}]

Creates, in --to's namespace, the restore Job of \`npm run restore\` for an off-cluster backup of --from:
maintenance on, the dump downloaded and checked against the backup's SHA256SUMS, loaded in one transaction,
then customers' e-mails, names, addresses and phones replaced and their passwords invalidated
(scripts/lib/restore/anonymise.ts). The next sync of --to's init-jobs migrates and turns maintenance off.

  --backup offsite:STAMP  a complete off-cluster backup of --from (a folder name under its bucket and prefix)
  --no-anonymise          keep customer data as it is (never do this for a shared environment)
  --source-secret NAME    Secret in --to's namespace with --from's object storage keys
                          (default database-backup-offsite-<from>: endpoint, region, bucket, prefix,
                          access-key-id, secret-access-key; read-only keys are enough)
  --context, --kubeconfig as for kubectl, for --to's cluster
  --dry-run               print the Job instead of creating it
  ${PROD_CONFIRMATION}   required when --to is prod

exit codes: 0 created (or printed), 1 refused or failed, 2 usage error`;

export async function main(argv: readonly string[], root = REPO_ROOT, io: Io = processIo, create = createJob, now = new Date()): Promise<number> {
  const args = parseCli(
    argv,
    {
      from: { type: 'string' }, to: { type: 'string' }, backup: { type: 'string' }, 'no-anonymise': { type: 'boolean' }, 'source-secret': { type: 'string' },
      context: { type: 'string' }, kubeconfig: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'yes-really-restore-prod': { type: 'boolean' }, help: { type: 'boolean' },
    },
    USAGE,
  );
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!args.from || !args.to || !args.backup) throw new UsageError(`--from, --to and --backup are required\n\n${USAGE}`);
  if (args.from === args.to) {
    io.stderr(`clone: --from and --to are both ${args.to}; use npm run restore for one environment\n`);
    return 1;
  }
  if (args.to === 'prod' && !args['yes-really-restore-prod']) {
    io.stderr(`clone: refusing to overwrite prod's database without ${PROD_CONFIRMATION}\n`);
    return 1;
  }
  const [from, to] = [await loadEnvironment(root, args.from), await loadEnvironment(root, args.to)];
  if (!from.db.backup.offsite.enabled) {
    io.stderr(`clone: ${from.name} keeps no off-cluster backups (db.backup.offsite.enabled is false in environments/${from.name}.yaml)\n`);
    return 1;
  }
  let source;
  try {
    source = parseBackupId(args.backup, from, args['source-secret'] ?? `database-backup-offsite-${from.name}`);
  } catch (e) {
    if (!(e instanceof BackupIdError)) throw e;
    io.stderr(`clone: ${e.message}\n`);
    return 1;
  }
  if (source.kind !== 'offsite') {
    io.stderr(`clone: --backup must be an off-cluster backup (offsite:<stamp>): ${from.name}'s volumes are not mounted in ${to.name}\n`);
    return 1;
  }
  const job = restoreJob({ env: to, source, anonymise: !args['no-anonymise'], name: jobName(now) });
  if (args['dry-run']) {
    io.stdout(stringify(job));
    return 0;
  }
  const target: ClusterTarget = { context: args.context, kubeconfig: args.kubeconfig };
  io.stdout(afterCreate(to, await create(job, target), target));
  return 0;
}

if (isMain(import.meta.url)) await runMain(main);
