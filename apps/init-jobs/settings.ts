// Settings of the init-jobs component: volume-init and its releases, then install or restore, and the job waiter other pods run.
import { z } from 'zod';
import { image, resources, volume } from '../../scripts/lib/environment/fields.ts';

export const initJobsSettings = z
  .strictObject({
    /**
     * `install` runs `oro:install` on an empty database; `restore` loads the demo dump shipped in the
     * `-init` image. On a database that already has tables both run `oro:platform:update` instead, and
     * only when the application image changed, so a re-run on every sync is safe. An install or restore
     * that started but never completed stops the job with instructions instead of being migrated.
     */
    mode: z.enum(['install', 'restore']).default('install'),
    /** Loads Oro's sample data during `install`. */
    sampleData: z.boolean().default(false),
    /** Seconds a job may run before Kubernetes stops it. Pods wait for the jobs as long as it takes. */
    activeDeadlineSeconds: z.number().int().min(60).default(3600),
    /** Retries of volume-init and restore; install never retries (a half-done install needs a person). */
    backoffLimit: z.number().int().min(0).max(10).default(1),
    /**
     * Releases of the code (and their caches) kept on the volumes: the current one and the most recently deployed
     * before it. At least 2, because the previous release still serves while the new one rolls out; raise it to
     * keep a quick rollback at hand, or when upgrades may follow each other faster than a rollout ends.
     */
    keepReleases: z.number().int().min(2).default(2),
    /**
     * The upgrade hooks that run around `oro:platform:update` when the image changes (apps/init-jobs/upgrade.ts):
     * a verified backup tagged with the outgoing release, maintenance on, the update, the cache warm-up, maintenance
     * off. Every timeout is pinned: nothing waits forever, and a step that runs out fails and leaves maintenance on.
     */
    upgrade: z
      .strictObject({
        /** The verified pre-upgrade pg_dump, tagged with the outgoing release. Turn it off only where the data does not matter. */
        backup: z.boolean().default(true),
        /** Pre-upgrade dumps kept on their volume; older ones are deleted after each verified dump. */
        keepBackups: z.number().int().min(1).max(20).default(3),
        /**
         * Volume `pvc-db-upgrade-backup` of the pre-upgrade dumps, sized for `keepBackups` compressed dumps. Its own
         * volume, because pvc-db-backup is ReadWriteOnce and the nightly CronJob's; storage class as `db.storage`'s.
         */
        storage: volume({ size: '20Gi', accessMode: 'ReadWriteOnce' }),
        /** Seconds the pre-upgrade backup may take. */
        backupDeadlineSeconds: z.number().int().min(60).default(3600),
        /**
         * Seconds maintenance-on waits for the messages consumers are processing to finish (a consumer finishes the
         * message in hand, then waits for maintenance off). Past it the step fails and names the busy consumers.
         */
        drainTimeoutSeconds: z.number().int().min(0).max(3600).default(600),
        /** Seconds the cache warm-up of the new release may take. */
        warmupDeadlineSeconds: z.number().int().min(60).default(1800),
      })
      .prefault({}),
    admin: z
      .strictObject({
        username: z.string().min(1).default('admin'),
        email: z.string().email().default('admin@example.com'),
        firstName: z.string().min(1).default('John'),
        lastName: z.string().min(1).default('Doe'),
      })
      .prefault({}),
    organizationName: z.string().min(1).default('ORO'),
    language: z.string().min(2).default('en'),
    formattingCode: z.string().min(2).default('en_US'),
    /** volume-init: copy of the code (~1 GB) into a new release, once per image; I/O bound. */
    volumeInitResources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } }),
    /** install / restore / platform update: PHP console commands with PHP_MEMORY_LIMIT (app.phpMemoryLimit) per process. */
    resources: resources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } }),
    waiter: z
      .strictObject({
        /** kubectl for the wait-for-init-jobs initContainers; its minor follows `kubernetesVersion`. */
        // renovate: datasource=docker depName=registry.k8s.io/kubectl
        image: image({ repository: 'registry.k8s.io/kubectl', tag: 'v1.33.5' }),
        resources: resources({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } }),
      })
      .prefault({}),
  })
  .prefault({});
