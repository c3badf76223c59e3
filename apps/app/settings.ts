// Settings of the app component: php-fpm (with its HPA), consumer and cron, plus the application settings every Oro pod reads.
import { z } from 'zod';
import { replicaCount, resources } from '../../scripts/lib/environment/fields.ts';

const percent = z.number().int().min(1).max(100);

export const appSettings = z
  .strictObject({
    'php-fpm': z
      .strictObject({
        /** Seed 000's table. D-12 recommends limit = request for php-fpm; raise the request in environments that need that guarantee. */
        resources: resources({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' } }),
        hpa: z
          .strictObject({
            minReplicas: replicaCount.default(2),
            maxReplicas: replicaCount.default(10),
            cpuUtilization: percent.default(70),
            memoryUtilization: percent.default(80),
          })
          .prefault({})
          .refine((h) => h.maxReplicas >= h.minReplicas, { message: 'maxReplicas must be ≥ minReplicas', path: ['maxReplicas'] }),
        /** Worst-case seconds php-fpm may take to warm up before liveness starts (startupProbe budget). */
        startupSeconds: z.number().int().min(10).default(300),
        /** Longest request php-fpm is allowed to finish after SIGQUIT before the pod is killed. */
        maxRequestSeconds: z.number().int().min(1).default(60),
      })
      .prefault({}),
    consumer: z
      .strictObject({
        replicas: replicaCount.default(1),
        resources: resources({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '800m', memory: '512Mi' } }),
        /** Seconds a stopping consumer gets to finish the message it holds (imports and exports can take minutes). */
        terminationGracePeriodSeconds: z.number().int().min(30).default(300),
      })
      .prefault({}),
    /**
     * Optional: KEDA scales the consumer Deployment on the depth of Oro's database message queue
     * (apps/app/consumer-scaler.ts); `consumer.replicas` then no longer applies. Needs KEDA in the cluster. Cron is
     * never scaled: it stays exactly one.
     */
    consumerAutoscaling: z
      .strictObject({
        enabled: z.boolean().default(false),
        minReplicas: replicaCount.default(1),
        maxReplicas: replicaCount.default(5),
        /** Messages ready for consumption per consumer replica that KEDA aims at (the HPA's average value). */
        messagesPerReplica: z.number().int().positive().default(50),
        /** Seconds between two queue-depth queries. */
        pollingInterval: z.number().int().min(5).default(30),
        /** Seconds the queue must stay below the target before KEDA scales down (HPA scale-down stabilization). */
        cooldownPeriod: z.number().int().min(30).default(300),
        /** Where the KEDA operator runs: the database admits its queries (NetworkPolicy). */
        operator: z
          .strictObject({
            namespace: z.string().min(1).default('keda'),
            podLabels: z.record(z.string(), z.string()).default({ 'app.kubernetes.io/name': 'keda-operator' }),
          })
          .prefault({}),
      })
      .prefault({})
      .refine((h) => h.maxReplicas >= h.minReplicas, { message: 'maxReplicas must be ≥ minReplicas', path: ['maxReplicas'] }),
    cron: z
      .strictObject({
        resources: resources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } }),
      })
      .prefault({}),
    mailer: z
      .strictObject({
        /**
         * SMTP relay host. Absent (the default): `ORO_MAILER_DSN=null://null`, mail is discarded. The demo's
         * `smtp://mail:1025` names a MailHog container this repository does not run.
         */
        host: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a host name such as smtp.example.com').optional(),
        /** SMTP port (587: submission with STARTTLS). */
        port: z.number().int().min(1).max(65535).default(587),
        /** Log in with the app Secret's `mailer-user` / `mailer-password` keys. */
        authenticated: z.boolean().default(true),
      })
      .prefault({}),
    /** `PHP_MEMORY_LIMIT`, read by the image's php.ini (its own default is 1G; the demo's `HP_MEMORY_LIMIT` is a typo). */
    phpMemoryLimit: z.string().regex(/^(-1|\d+[KMG]?)$/, 'a PHP memory size such as 512M or 1G').default('1G'),
  })
  .prefault({});
