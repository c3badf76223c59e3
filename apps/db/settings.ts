// Settings of the db component: the PostgreSQL StatefulSet `database-orocommerce` and its nightly backup.
import { z } from 'zod';
import { image, resources, volume } from '../../scripts/lib/environment/fields.ts';

/**
 * Five cron fields (minute hour day-of-month month day-of-week) or a macro such as `@daily`. A
 * `CRON_TZ=` prefix is refused: the CronJob sets its own timeZone.
 */
const cronSchedule = z
  .string()
  .regex(
    /^(?:@(?:yearly|annually|monthly|weekly|daily|midnight|hourly)|[\d*,/-]+\s+[\d*,/-]+\s+[\d*,/?-]+\s+[\dA-Za-z*,/-]+\s+[\dA-Za-z*,/?-]+)$/,
    'a cron expression such as `17 3 * * *` (minute hour day-of-month month day-of-week) or `@daily`',
  );

/** Off-cluster copies (backup-offsite.ts): where is per environment in the secret store, never in git. */
const offsiteSettings = z
  .strictObject({
    /**
     * Copies each verified nightly dump, and archives of the public and private storage volumes, to S3-compatible
     * object storage. Endpoint, region, bucket, prefix and the key pair come from the secret store (remote key
     * `backup-offsite`, Secret `database-backup-offsite`).
     */
    enabled: z.boolean().default(false),
    /** Complete backups kept in the bucket; older ones (and failed leftovers older than them) are deleted after a complete copy. */
    retention: z.number().int().min(1).max(365).default(14),
    /** Also archive pvc-public-storage (media) and pvc-private-storage (attachments, import/export files). */
    files: z.boolean().default(true),
    /** The S3 client. Tests run Debian's rclone of the same version (scripts/ci/install-backup-programs.sh). */
    // renovate: datasource=docker depName=rclone/rclone
    image: image({ repository: 'rclone/rclone', tag: '1.60.1' }),
    /** Where the backup pod, and the restore pods of `npm run restore` and `npm run clone`, may connect: the object storage's addresses and ports. */
    egress: z
      .strictObject({
        cidrs: z.array(z.string().min(1)).min(1).default(['0.0.0.0/0']),
        ports: z.array(z.number().int().min(1).max(65535)).min(1).default([443]),
      })
      .prefault({}),
    /** rclone streams: little CPU and memory. */
    resources: resources({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1000m', memory: '256Mi' } }),
  })
  .prefault({});

const backupSettings = z
  .strictObject({
    /** D-21: a nightly pg_dump of the database onto its own volume; keep it on wherever the data matters. */
    enabled: z.boolean().default(true),
    /** When the dump starts, in UTC (the CronJob's timeZone); off the full hour, when the shop is quiet. */
    schedule: cronSchedule.default('17 3 * * *'),
    /** How many dumps stay on the volume; older ones are deleted after each verified dump. */
    retention: z.number().int().min(1).max(100).default(7),
    /** Seconds one run may take before Kubernetes stops it, so a dump stuck behind a lock never meets the next night's. */
    activeDeadlineSeconds: z.number().int().min(300).default(10800),
    /**
     * Volume `pvc-db-backup`, sized for `retention` compressed dumps. Only the backup pod mounts it, so
     * ReadWriteOnce is enough; its storage class defaults to the database's (`db.storage`), then the cluster's.
     */
    storage: volume({ size: '20Gi', accessMode: 'ReadWriteOnce' }),
    /** pg_dump compresses in one process: one CPU at most, little memory. */
    resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } }),
    offsite: offsiteSettings,
  })
  .prefault({});

export const dbSettings = z
  .strictObject({
    /** The tag starts with PostgreSQL's major.minor: ORO_DB_DSN's serverVersion is read from it. */
    // renovate: datasource=docker depName=oroinc/pgsql
    image: image({ repository: 'oroinc/pgsql', tag: '17.2-alpine' }),
    /** Data volume from the StatefulSet's volumeClaimTemplate (seed: 8Gi). */
    storage: volume({ size: '8Gi', accessMode: 'ReadWriteOnce' }),
    /**
     * Seed 000's table (1Gi request, 2Gi limit). D-12 recommends limit = request for PostgreSQL, so a
     * memory-pressured node never evicts it first; set them equal in production environments.
     */
    resources: resources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '2Gi' } }),
    /** Database and role names (not secret); the passwords come from the secret store. */
    database: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('orodb'),
    user: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('orodbuser'),
    backup: backupSettings,
  })
  .prefault({});
