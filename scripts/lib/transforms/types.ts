// The transform contract: a pure function over one component's objects.
import type { Environment } from '../environment/schema.ts';
import type { KubernetesObject } from '../k8s.ts';

export interface TransformContext {
  env: Environment;
  /** Component folder the objects belong to. */
  component: string;
  /** Argo CD sync wave of that component. */
  wave: number;
}

export type Transform = (objects: readonly KubernetesObject[], ctx: TransformContext) => KubernetesObject[];
