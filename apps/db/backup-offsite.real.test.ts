// The nightly dump and its off-cluster copy run for real: PostgreSQL 17, pg_dump/pg_restore 17, rclone 1.60.1 and versitygw on loopback, in busybox sh as in the images.
import { DROP_APP_OBJECTS } from '../../scripts/lib/restore/job.ts';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { baseEnv, PG_CLIENT_BIN, startPostgres, startS3, type Postgres, type S3Server } from '../../scripts/lib/restore/real-servers.ts';
import { FILES_MOUNT, offsiteScript } from './backup-offsite.ts';
import { BACKUP_DIR, backupScript } from './backup.ts';

let pg: Postgres;
let s3: S3Server;
beforeAll(async () => {
  if (spawnSync('busybox', ['true']).status !== 0) throw new Error('busybox is missing: run `bash scripts/ci/install-backup-programs.sh`');
  pg = await startPostgres();
  s3 = await startS3();
});
afterAll(async () => {
  pg?.stop();
  await s3?.stop();
});

const BUCKET = 'shop-backups';
let root: string;
const roots: string[] = [];
let prefix: string;
let n = 0;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'offsite-'));
  roots.push(root);
  prefix = `prod-${++n}`;
  for (const d of ['backups', 'data/public-storage/product', 'data/private-storage/attachment']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'data/public-storage/product/image.jpg'), 'JPEG bytes');
  writeFileSync(path.join(root, 'data/private-storage/attachment/invoice.pdf'), 'PDF bytes');
  pg.sql(DROP_APP_OBJECTS);
  pg.sql("CREATE TABLE oro_customer_user (id SERIAL PRIMARY KEY, email TEXT); INSERT INTO oro_customer_user (email) VALUES ('jane@example.org');");
  rclone('mkdir', `s3:${BUCKET}`);
});
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function rclone(...args: string[]) {
  return spawnSync('rclone', args, { env: { ...baseEnv(), ...s3.rcloneEnv('s3') }, encoding: 'utf8' });
}

const env = (retention = 14) => testEnvironment('prod', { db: { backup: { retention: 3, offsite: { enabled: true, retention } } } });

/** The CronJob's two containers in order, with the pod's paths moved into the scratch folder. */
function nightly(retention = 14, secretKey = s3.secretKey) {
  const e = env(retention);
  const vars = {
    ...baseEnv(),
    PATH: `${PG_CLIENT_BIN}:${process.env.PATH}`,
    ...pg.env,
    ...s3.rcloneEnv('offsite'),
    RCLONE_CONFIG_OFFSITE_SECRET_ACCESS_KEY: secretKey,
    RCLONE_S3_NO_CHECK_BUCKET: 'true',
    OFFSITE_BUCKET: BUCKET,
    OFFSITE_PREFIX: `${prefix}/`,
  };
  const dump = spawnSync('busybox', ['sh', '-c', backupScript(e).replace(`cd ${BACKUP_DIR}`, `cd ${root}/backups`)], { env: vars, encoding: 'utf8' });
  expect(dump.status, dump.stderr).toBe(0);
  const script = offsiteScript(e, `${root}/backups`).replaceAll(`${FILES_MOUNT}/`, `${root}/data/`);
  return spawnSync('busybox', ['sh', '-c', script], { env: vars, encoding: 'utf8' });
}

/** Seeds a complete backup folder (with its SHA256SUMS) or an incomplete one under the prefix. */
function seed(stamp: string, complete: boolean) {
  const f = path.join(root, 'seed');
  writeFileSync(f, 'old');
  rclone('copyto', f, `s3:${BUCKET}/${prefix}/${stamp}/orodb-${stamp}.dump`);
  if (complete) rclone('copyto', f, `s3:${BUCKET}/${prefix}/${stamp}/SHA256SUMS`);
}

describe('the off-cluster copy', () => {
  it('uploads the verified dump and both storage volumes, each read back, and the copy restores', () => {
    const run = nightly();
    expect(run.status, run.stderr).toBe(0);
    const objects = s3.list(BUCKET, prefix);
    const stamp = objects[0]?.split('/')[0] ?? '';
    expect(stamp).toMatch(/^\d{8}T\d{6}Z$/);
    expect(objects).toEqual([`orodb-${stamp}.dump`, 'SHA256SUMS', 'private-storage.tar.gz', 'public-storage.tar.gz'].map((o) => `${stamp}/${o}`).sort());
    expect(run.stdout).toContain(`offsite: backup ${stamp} complete`);

    // Restore drill from the bucket: the dump into a fresh database, the archives into empty folders.
    const back = path.join(root, 'back');
    expect(rclone('copy', `s3:${BUCKET}/${prefix}/${stamp}`, back).status).toBe(0);
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: back, encoding: 'utf8' });
    expect(sums.status, sums.stdout).toBe(0);
    pg.sql('CREATE DATABASE drill', 'postgres');
    const restore = spawnSync(path.join(PG_CLIENT_BIN, 'pg_restore'), ['--no-owner', '-d', 'drill', path.join(back, `orodb-${stamp}.dump`)], { env: { ...process.env, ...pg.env }, encoding: 'utf8' });
    expect(restore.status, restore.stderr).toBe(0);
    expect(pg.sql('SELECT email FROM oro_customer_user', 'drill')).toBe('jane@example.org');
    pg.sql('DROP DATABASE drill', 'postgres');
    mkdirSync(path.join(back, 'media'));
    spawnSync('tar', ['-xzf', path.join(back, 'public-storage.tar.gz'), '-C', path.join(back, 'media')]);
    expect(readFileSync(path.join(back, 'media/product/image.jpg'), 'utf8')).toBe('JPEG bytes');
  });

  it('keeps the newest `retention` complete backups and removes older leftovers after a complete copy', () => {
    seed('20240101T031700Z', true);
    seed('20240102T031700Z', false);
    seed('20240103T031700Z', true);
    seed('20240104T031700Z', true);
    const run = nightly(2);
    expect(run.status, run.stderr).toBe(0);
    const folders = [...new Set(s3.list(BUCKET, prefix).map((o) => o.split('/')[0]))];
    expect(folders).toHaveLength(2);
    expect(folders[0]).toBe('20240104T031700Z');
    expect(run.stdout).toContain('offsite: pruning 20240101T031700Z');
  });

  it('on a failed upload exits non-zero and deletes no older backup', () => {
    seed('20240101T031700Z', true);
    seed('20240103T031700Z', true);
    const before = s3.list(BUCKET, prefix);
    const run = nightly(1, 'wrong-secret-key');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('offsite: FAILED');
    expect(s3.list(BUCKET, prefix)).toEqual(before);
  });

  it('refuses a dump that pg_restore cannot read back in full, before anything is uploaded', () => {
    const e = env();
    // A truncated dump: pg_restore fails on it, so it is never renamed, and .latest still names nothing new.
    writeFileSync(path.join(root, 'bin-pg_dump'), '#!/bin/sh\nfor a; do case $a in --file=*) printf PGDMP > "${a#--file=}";; esac; done\n');
    spawnSync('chmod', ['+x', path.join(root, 'bin-pg_dump')]);
    mkdirSync(path.join(root, 'fakebin'));
    spawnSync('cp', [path.join(root, 'bin-pg_dump'), path.join(root, 'fakebin/pg_dump')]);
    const dump = spawnSync('busybox', ['sh', '-c', backupScript(e).replace(`cd ${BACKUP_DIR}`, `cd ${root}/backups`)], {
      env: { PATH: `${root}/fakebin:${PG_CLIENT_BIN}:${process.env.PATH}`, ...pg.env },
      encoding: 'utf8',
    });
    expect(dump.status).not.toBe(0);
    expect(spawnSync('ls', ['-A', path.join(root, 'backups')], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });
});
