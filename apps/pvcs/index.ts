// The pvcs component (wave 0): the shared volumes, and the namespace's network policy that must precede every pod.
import type { Component } from '../../scripts/lib/component.ts';
import { untyped } from '../lib/objects.ts';
import { PVC_NAMES } from '../lib/volumes.ts';
import { WAVES } from '../waves.ts';
import { namespacePolicies } from './network-policies.ts';
import { persistentVolumeClaim } from './pvcs.ts';
import { assertVolumesShareable } from './sharing.ts';

export const component: Component = {
  name: 'pvcs',
  wave: WAVES.pvcs,
  description: 'Shared volumes of OroCommerce (code, cache, media, private files, maintenance) and the namespace default-deny NetworkPolicy',
  render: (env) => {
    assertVolumesShareable(env, PVC_NAMES);
    return [...PVC_NAMES.map((name) => persistentVolumeClaim(env, name)), ...namespacePolicies(env)].map(untyped);
  },
};
