// The pvcs component (wave 0): the shared volumes, and the namespace-wide guardrails (network policy, LimitRange, ResourceQuota) that must precede every pod.
import type { Component } from '../../scripts/lib/component.ts';
import { untyped } from '../lib/objects.ts';
import { PVC_NAMES } from '../lib/volumes.ts';
import { WAVES } from '../waves.ts';
import { limitRangeFor } from './limit-range.ts';
import { namespacePolicies } from './network-policies.ts';
import { persistentVolumeClaim } from './pvcs.ts';
import { resourceQuotaFor } from './quota.ts';
import { assertVolumesShareable } from './sharing.ts';

/**
 * The LimitRange and the ResourceQuota live here, beside the default-deny policy, because admission
 * applies them only to pods created after them: in wave 0 they precede every pod of the later waves and
 * of the chart. Both are sized from what every component renders, after the environment's patches, so
 * they are derived by the pipeline from the final objects rather than rendered from the environment alone.
 */
export const component: Component = {
  name: 'pvcs',
  wave: WAVES.pvcs,
  description: 'Shared volumes of OroCommerce (code, cache, media, private files, maintenance), the namespace default-deny NetworkPolicy, LimitRange and ResourceQuota',
  render: (env) => {
    assertVolumesShareable(env, PVC_NAMES);
    return [...PVC_NAMES.map((name) => untyped(persistentVolumeClaim(env, name))), ...namespacePolicies(env).map(untyped)];
  },
  derive: (env, objects) => [untyped(limitRangeFor(env, objects)), ...resourceQuotaFor(env, objects).map(untyped)],
};
