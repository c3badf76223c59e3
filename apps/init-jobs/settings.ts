// Settings of the init-jobs component: volume-init, then install or restore, and the job waiter other pods run.
import { z } from 'zod';
import { image, resources } from '../../scripts/lib/environment/fields.ts';

export const initJobsSettings = z
  .strictObject({
    /**
     * `install` runs `oro:install` on an empty database; `restore` loads the demo dump shipped in the
     * `-init` image. On a database that already has tables both run `oro:platform:update` instead, and
     * only when the application image changed, so a re-run on every sync is safe.
     */
    mode: z.enum(['install', 'restore']).default('install'),
    /** Loads Oro's sample data during `install`. */
    sampleData: z.boolean().default(false),
    /** Seconds a job may run before Kubernetes stops it; also how long a pod waits for volume-init. */
    activeDeadlineSeconds: z.number().int().min(60).default(3600),
    /** Retries of volume-init and restore; install never retries (a half-done install needs a person). */
    backoffLimit: z.number().int().min(0).max(10).default(1),
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
    /** volume-init: rsync of the code (~1 GB) and a chown; I/O bound. */
    volumeInitResources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } }),
    /** install / restore / platform update: PHP console commands with PHP_MEMORY_LIMIT (app.phpMemoryLimit) per process. */
    resources: resources({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '2Gi' } }),
    waiter: z
      .strictObject({
        /** kubectl for the wait-for-volume-init initContainers; its minor follows `kubernetesVersion`. */
        // renovate: datasource=docker depName=registry.k8s.io/kubectl
        image: image({ repository: 'registry.k8s.io/kubectl', tag: 'v1.33.5' }),
        resources: resources({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } }),
      })
      .prefault({}),
  })
  .prefault({});
