// Reusable zod field builders for environment settings: quantities, images, resources, storage.
import { z } from 'zod';

/** A Kubernetes quantity such as `500m`, `1Gi` or `2`. */
export const quantity = z
  .string()
  .regex(/^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, 'a Kubernetes quantity such as 500m, 256Mi or 10Gi');

/** A container image tag that is pinned: never empty, never `latest` or a floating `*-latest`. */
export const pinnedTag = z
  .string()
  .regex(/^[\w][\w.-]{0,127}$/, 'a Docker tag (letters, digits, `_`, `.`, `-`)')
  .refine((t) => !/(^|[-.])latest$/.test(t), 'a pinned tag: `latest` and `*-latest` float and are refused');

/** An image reference: repository plus a pinned tag, optionally a digest that wins over the tag. */
export function image(defaults: { repository: string; tag: string }) {
  return z
    .strictObject({
      repository: z.string().regex(/^[a-z0-9][a-z0-9._\/-]*(:\d+)?[a-z0-9._\/-]*$/, 'an image repository such as oroinc/orocommerce-application').default(defaults.repository),
      tag: pinnedTag.default(defaults.tag),
      digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'a digest of the form sha256:<64 hex>').optional(),
    })
    .prefault({});
}

export type Image = z.output<ReturnType<typeof image>>;

/** `repository:tag` or `repository:tag@sha256:…`, the form a container's `image:` takes. */
export function imageRef(i: Image): string {
  return i.digest ? `${i.repository}:${i.tag}@${i.digest}` : `${i.repository}:${i.tag}`;
}

interface ResourceDefaults {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** Requests and limits with per-workload defaults; an environment overrides any single value. */
export function resources(d: ResourceDefaults) {
  const pair = (cpu: string, memory: string) =>
    z.strictObject({ cpu: quantity.default(cpu), memory: quantity.default(memory) }).prefault({});
  return z
    .strictObject({ requests: pair(d.requests.cpu, d.requests.memory), limits: pair(d.limits.cpu, d.limits.memory) })
    .prefault({});
}

export type Resources = z.output<ReturnType<typeof resources>>;

export const accessMode = z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod', 'ReadOnlyMany']);

/** A persistent volume: size, access mode and an optional storage class (the cluster default when absent). */
export function volume(d: { size: string; accessMode: z.infer<typeof accessMode> }) {
  return z
    .strictObject({
      size: quantity.default(d.size),
      accessMode: accessMode.default(d.accessMode),
      storageClassName: storageClassName.optional(),
    })
    .prefault({});
}

/**
 * Upper bound of any replica count. Far above what one shop runs; a larger number is far more likely
 * a typo (an extra zero) than a need, and it would also size the namespace's ResourceQuota.
 */
export const MAX_REPLICAS = 200;

/** A replica count: at least 1, at most MAX_REPLICAS. */
export const replicaCount = z
  .number()
  .int()
  .min(1, 'at least 1 replica')
  .max(MAX_REPLICAS, `at most ${MAX_REPLICAS} replicas: a larger count is more likely a typo than a need (the bound is MAX_REPLICAS in scripts/lib/environment/fields.ts)`);

/** A storage class name is an object name, so a DNS subdomain (RFC 1123): Kubernetes refuses anything else at apply time. */
export const storageClassName = z
  .string()
  .max(253, 'at most 253 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'a storage class name: lowercase letters, digits, `-` and `.` (a DNS subdomain, as `kubectl get storageclass` lists them)');
