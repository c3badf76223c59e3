// The `patches:` escape hatch: RFC 7386 merge patches and RFC 6902 JSON patches targeted by kind/name.
import { z } from 'zod';

const target = z.strictObject({
  kind: z.string().min(1),
  name: z.string().min(1),
  /** Only needed when the same kind/name exists in two namespaces. */
  namespace: z.string().min(1).optional(),
});

const jsonPatchOperation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('test'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: z.string() }),
  z.strictObject({ op: z.literal('move'), from: z.string(), path: z.string() }),
  z.strictObject({ op: z.literal('copy'), from: z.string(), path: z.string() }),
]);

export const patchSchema = z.union([
  z.strictObject({ target, mergePatch: z.record(z.string(), z.unknown()) }),
  z.strictObject({ target, jsonPatch: z.array(jsonPatchOperation).min(1) }),
]);

export type Patch = z.output<typeof patchSchema>;
export type JsonPatchOperation = z.output<typeof jsonPatchOperation>;
