// `npm run restore`: create the restore Job that loads a chosen backup into an environment's database, with maintenance on.
import { stringify } from 'yaml';
import { isMain, parseCli, REPO_ROOT, runMain, UsageError } from './lib/cli.ts';
import { loadEnvironment } from './lib/environment/load.ts';
import { createJob, type ClusterTarget } from './lib/restore/cluster.ts';
import { BackupIdError, parseBackupId, restoreJob } from './lib/restore/job.ts';
import { afterCreate, jobName, PROD_CONFIRMATION, type Io, processIo } from './lib/restore/cli.ts';

const USAGE = `usage: npm run restore -- --env ENV --backup ID [--context NAME] [--kubeconfig FILE] [--dry-run] [${PROD_CONFIRMATION}]

Creates a Job in the environment's namespace that turns maintenance on, reads the backup back in full,
replaces the database with it in one transaction (unchanged if anything fails) and records it; the next
sync of the init-jobs Application migrates it to the running release and turns maintenance off.

  --backup ID         orodb-<stamp>.dump (nightly, pvc-db-backup), pre-upgrade-….dump (pvc-db-upgrade-backup),
                      or offsite:<YYYYMMDDTHHMMSSZ> (a complete off-cluster backup of this environment)
  --context, --kubeconfig   as for kubectl
  --dry-run           print the Job instead of creating it
  ${PROD_CONFIRMATION}   required to restore into prod

exit codes: 0 created (or printed), 1 refused or failed, 2 usage error`;

export async function main(argv: readonly string[], root = REPO_ROOT, io: Io = processIo, create = createJob, now = new Date()): Promise<number> {
  const args = parseCli(
    argv,
    { env: { type: 'string' }, backup: { type: 'string' }, context: { type: 'string' }, kubeconfig: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'yes-really-restore-prod': { type: 'boolean' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!args.env || !args.backup) throw new UsageError(`--env and --backup are required\n\n${USAGE}`);
  if (args.env === 'prod' && !args['yes-really-restore-prod']) {
    io.stderr(`restore: refusing to overwrite prod's database without ${PROD_CONFIRMATION}\n`);
    return 1;
  }
  const env = await loadEnvironment(root, args.env);
  let source;
  try {
    source = parseBackupId(args.backup, env);
  } catch (e) {
    if (!(e instanceof BackupIdError)) throw e;
    io.stderr(`restore: ${e.message}\n`);
    return 1;
  }
  if (source.kind === 'offsite' && !env.db.backup.offsite.enabled) {
    io.stderr(`restore: ${env.name} keeps no off-cluster backups (db.backup.offsite.enabled is false in environments/${env.name}.yaml)\n`);
    return 1;
  }
  const job = restoreJob({ env, source, anonymise: false, name: jobName(now) });
  if (args['dry-run']) {
    io.stdout(stringify(job));
    return 0;
  }
  const target: ClusterTarget = { context: args.context, kubeconfig: args.kubeconfig };
  const name = await create(job, target);
  io.stdout(afterCreate(env, name, target));
  return 0;
}

if (isMain(import.meta.url)) await runMain(main);
