// The restore Job's scripts run for real: a dump from the nightly backup script loaded into a changed database, the anonymisation, and the off-cluster download, on PostgreSQL 17 and versitygw.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backupScript, BACKUP_DIR } from '../../../apps/db/backup.ts';
import { testEnvironment } from '../environment/testing.ts';
import { baseEnv, PG_CLIENT_BIN, startPostgres, startS3, type Postgres, type S3Server } from './real-servers.ts';
import { DROP_APP_OBJECTS, fetchScript, parseBackupId, restoreScript } from './job.ts';

let pg: Postgres;
let s3: S3Server;
let root: string;
const roots: string[] = [];
beforeAll(async () => {
  if (spawnSync('busybox', ['true']).status !== 0) throw new Error('busybox is missing: run `bash scripts/ci/install-backup-programs.sh`');
  pg = await startPostgres();
  s3 = await startS3();
});
afterAll(async () => {
  pg?.stop();
  await s3?.stop();
});
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'restore-'));
  roots.push(root);
  mkdirSync(path.join(root, 'backups'));
  pg.sql(DROP_APP_OBJECTS);
});
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

const env = testEnvironment('prod');
const sh = (script: string, vars: Record<string, string> = {}) =>
  spawnSync('busybox', ['sh', '-c', script], { env: { ...baseEnv(), PATH: `${PG_CLIENT_BIN}:${process.env.PATH}`, ...pg.env, ...vars }, encoding: 'utf8' });

/** Oro-shaped customer tables (the columns anonymise.ts names), with two customers, then a nightly dump of them. */
function shopWithBackup(): string {
  pg.sql(`
    CREATE TABLE oro_customer_user (id SERIAL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, username VARCHAR(255) NOT NULL UNIQUE,
      first_name VARCHAR(255), middle_name VARCHAR(255), last_name VARCHAR(255), name_prefix VARCHAR(255), name_suffix VARCHAR(255),
      birthday DATE, salt VARCHAR(255) NOT NULL, password VARCHAR(255) NOT NULL, confirmation_token VARCHAR(255), enabled BOOLEAN NOT NULL DEFAULT true);
    CREATE TABLE oro_order_address (id SERIAL PRIMARY KEY, label VARCHAR(255), street VARCHAR(500), street2 VARCHAR(500), city VARCHAR(255),
      postal_code VARCHAR(255), organization VARCHAR(255), region_text VARCHAR(255), name_prefix VARCHAR(255), first_name VARCHAR(255),
      middle_name VARCHAR(255), last_name VARCHAR(255), name_suffix VARCHAR(255), phone VARCHAR(255), country_code VARCHAR(2));
    CREATE TABLE oro_order (id SERIAL PRIMARY KEY, identifier VARCHAR(255), po_number VARCHAR(255), customer_notes TEXT, total NUMERIC(19,4));
    INSERT INTO oro_customer_user (email, username, first_name, last_name, birthday, salt, password) VALUES
      ('jane@example.org', 'jane@example.org', 'Jane', 'Doe', '1980-01-02', 's1', '$2y$13$hash1'),
      ('max@example.org', 'max@example.org', 'Max', 'Mustermann', NULL, 's2', '$2y$13$hash2');
    INSERT INTO oro_order_address (street, city, postal_code, first_name, last_name, phone, organization, country_code)
      VALUES ('1 Real Road', 'Berlin', '10115', 'Jane', 'Doe', '+49 30 1234', 'Doe GmbH', 'DE');
    INSERT INTO oro_order (identifier, po_number, customer_notes, total) VALUES ('SO-1', 'PO-77', 'leave at the back door', 99.5);
  `);
  const run = sh(backupScript(env).replace(`cd ${BACKUP_DIR}`, `cd ${root}/backups`));
  expect(run.status, run.stderr).toBe(0);
  return spawnSync('cat', [path.join(root, 'backups/.latest')], { encoding: 'utf8' }).stdout.trim();
}

const restore = (file: string, anonymise: boolean) =>
  sh(restoreScript(parseBackupId(file, env), anonymise).replace(`file='${BACKUP_DIR}/`, `file='${root}/backups/`));

describe('a restore', () => {
  it('replaces the whole schema with the backup: later rows and tables (a migration) are gone', () => {
    const dump = shopWithBackup();
    pg.sql("INSERT INTO oro_order (identifier) VALUES ('SO-2'); CREATE TABLE oro_new_in_617 (id INT); ALTER TABLE oro_order ADD COLUMN new_col INT;");
    const r = restore(dump, false);
    expect(r.status, r.stderr).toBe(0);
    expect(pg.sql('SELECT identifier FROM oro_order ORDER BY id')).toBe('SO-1');
    expect(pg.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'oro_new_in_617'")).toBe('0');
    expect(pg.sql("SELECT count(*) FROM information_schema.columns WHERE column_name = 'new_col'")).toBe('0');
    expect(pg.sql('SELECT email FROM oro_customer_user ORDER BY id')).toBe('jane@example.org\nmax@example.org');
    // As the application role, which is no superuser: uuid-ossp, a superuser's, is left in place and still works.
    expect(pg.sql('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).toBe('f');
    expect(pg.sql('SELECT length(uuid_generate_v4()::text)')).toBe('36');
  });

  it('leaves the database exactly as it was when the backup does not read back', () => {
    const dump = shopWithBackup();
    writeFileSync(path.join(root, 'backups', dump), 'PGDMP truncated');
    pg.sql("INSERT INTO oro_order (identifier) VALUES ('SO-2')");
    const r = restore(dump, false);
    expect(r.status).not.toBe(0);
    expect(pg.sql('SELECT count(*) FROM oro_order')).toBe('2');
  });
});

describe('a clone with anonymisation', () => {
  it("replaces customers' e-mails, names, birthdays, passwords, addresses, phones and notes, and keeps orders and sums", () => {
    const dump = shopWithBackup();
    const r = restore(dump, true);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('customer data anonymised');
    expect(pg.sql('SELECT id, email, username, first_name, last_name, birthday, password, salt FROM oro_customer_user ORDER BY id').split('\n')).toEqual([
      '1|customer-1@example.invalid|customer-1@example.invalid|Customer|No. 1||!anonymised|',
      '2|customer-2@example.invalid|customer-2@example.invalid|Customer|No. 2||!anonymised|',
    ]);
    expect(pg.sql('SELECT street, city, postal_code, first_name, last_name, phone, organization, country_code FROM oro_order_address')).toBe('1 Anonymised Street|Anytown|00000|Customer|No. 1|||DE');
    expect(pg.sql('SELECT identifier, po_number, customer_notes, total FROM oro_order')).toBe('SO-1|||99.5000');
    const dumpText = pg.sql("SELECT string_agg(email, ',') FROM oro_customer_user");
    expect(dumpText).not.toMatch(/jane|max/);
  });

  it('skips tables and columns this Oro version does not have, instead of failing', () => {
    pg.sql("CREATE TABLE oro_customer_user (id SERIAL PRIMARY KEY, email VARCHAR(255)); INSERT INTO oro_customer_user (email) VALUES ('jane@example.org');");
    const run = sh(backupScript(env).replace(`cd ${BACKUP_DIR}`, `cd ${root}/backups`));
    expect(run.status, run.stderr).toBe(0);
    const dump = spawnSync('cat', [path.join(root, 'backups/.latest')], { encoding: 'utf8' }).stdout.trim();
    const r = restore(dump, true);
    expect(r.status, r.stderr).toBe(0);
    expect(pg.sql('SELECT email FROM oro_customer_user')).toBe('customer-1@example.invalid');
  });
});

describe('an off-cluster backup', () => {
  it('is downloaded and checked against its SHA256SUMS; a tampered dump is refused', () => {
    const dump = shopWithBackup();
    const stamp = dump.replace(/^orodb-/, '').replace(/\.dump$/, '');
    const rclone = (...args: string[]) => spawnSync('rclone', args, { env: { ...baseEnv(), ...s3.rcloneEnv('s3') }, encoding: 'utf8' });
    rclone('mkdir', 's3:prod-backups');
    const sum = spawnSync('sha256sum', [dump], { cwd: path.join(root, 'backups'), encoding: 'utf8' }).stdout;
    writeFileSync(path.join(root, 'SHA256SUMS'), sum);
    rclone('copyto', path.join(root, 'backups', dump), `s3:prod-backups/shop/${stamp}/${dump}`);
    rclone('copyto', path.join(root, 'SHA256SUMS'), `s3:prod-backups/shop/${stamp}/SHA256SUMS`);

    const source = parseBackupId(`offsite:${stamp}`, env, 'database-backup-offsite-prod');
    if (source.kind !== 'offsite') throw new Error('expected an off-cluster backup');
    const fetchTo = path.join(root, 'restore');
    mkdirSync(fetchTo);
    const vars = { ...s3.rcloneEnv('offsite'), RCLONE_S3_NO_CHECK_BUCKET: 'true', OFFSITE_BUCKET: 'prod-backups', OFFSITE_PREFIX: 'shop' };
    const fetched = sh(fetchScript(source).replace('cd /restore', `cd ${fetchTo}`), vars);
    expect(fetched.status, fetched.stderr).toBe(0);
    expect(fetched.stdout).toContain(`${dump}: OK`);
    const r = sh(restoreScript(source, true).replace("file='/restore/", `file='${fetchTo}/`));
    expect(r.status, r.stderr).toBe(0);

    writeFileSync(path.join(root, 'tampered'), 'PGDMP not the same');
    rclone('copyto', path.join(root, 'tampered'), `s3:prod-backups/shop/${stamp}/${dump}`);
    rmSync(fetchTo, { recursive: true });
    mkdirSync(fetchTo);
    expect(sh(fetchScript(source).replace('cd /restore', `cd ${fetchTo}`), vars).status).not.toBe(0);
  });
});
