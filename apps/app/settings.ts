// Settings of the app component: php-fpm (with its HPA), consumer and cron.
import { z } from 'zod';
import { positiveInt, resources } from '../../scripts/lib/environment/fields.ts';

const percent = z.number().int().min(1).max(100);

export const appSettings = z
  .strictObject({
    'php-fpm': z
      .strictObject({
        resources: resources({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } }),
        hpa: z
          .strictObject({
            minReplicas: positiveInt.default(2),
            maxReplicas: positiveInt.default(10),
            cpuUtilization: percent.default(70),
            memoryUtilization: percent.default(80),
          })
          .prefault({})
          .refine((h) => h.maxReplicas >= h.minReplicas, { message: 'maxReplicas must be ≥ minReplicas', path: ['maxReplicas'] }),
        /** Worst-case seconds php-fpm may take to warm up before liveness starts (startupProbe budget). */
        startupSeconds: z.number().int().min(10).default(300),
      })
      .prefault({}),
    consumer: z
      .strictObject({
        replicas: positiveInt.default(1),
        resources: resources({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '800m', memory: '512Mi' } }),
      })
      .prefault({}),
    cron: z
      .strictObject({
        resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } }),
      })
      .prefault({}),
  })
  .prefault({});
