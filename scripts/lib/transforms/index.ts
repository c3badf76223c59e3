// The ordered list of transforms every component's objects go through.
import { addCommonLabels } from './labels.ts';
import { setNamespace } from './namespace.ts';
import { addSyncWave } from './sync-wave.ts';
import type { Transform, TransformContext } from './types.ts';
import type { KubernetesObject } from '../k8s.ts';

export const TRANSFORMS: readonly Transform[] = [addCommonLabels, setNamespace, addSyncWave];

export function applyTransforms(objects: readonly KubernetesObject[], ctx: TransformContext): KubernetesObject[] {
  return TRANSFORMS.reduce<KubernetesObject[]>((acc, t) => t(acc, ctx), [...objects]);
}
