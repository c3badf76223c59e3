// Settings of the init-jobs component: volume-init, then install or restore.
import { z } from 'zod';

export const initJobsSettings = z
  .strictObject({
    /**
     * `install` runs `oro:install` on an empty database; `restore` loads the demo dump shipped in the
     * `-init` image. Both skip work that is already done, so a re-run on upgrade is safe.
     */
    mode: z.enum(['install', 'restore']).default('install'),
    /** Loads Oro's sample data during `install`. */
    sampleData: z.boolean().default(false),
    /** Seconds a job may run before Kubernetes stops it. */
    activeDeadlineSeconds: z.number().int().min(60).default(3600),
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
  })
  .prefault({});
