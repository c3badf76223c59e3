// The component contract: a named, waved, pure function from an environment to Kubernetes objects.
import type { ApplicationSource, KubernetesObject } from './k8s.ts';
import type { Environment } from './environment/schema.ts';

export type ComponentName =
  | 'pvcs'
  | 'db'
  | 'init-jobs'
  | 'app'
  | 'websocket'
  | 'websocket-alias'
  | 'web'
  | 'monitoring';

export interface Component {
  /** Folder name, Application suffix and `app.kubernetes.io/component` label. */
  name: ComponentName;
  /** Argo CD sync wave of the component's Application (fixed registry in apps/waves.ts). */
  wave: number;
  /** One line for the README and the Application's description annotation. */
  description: string;
  /** Pure: no file, clock, network or process.env access. */
  render(env: Environment): KubernetesObject[];
  /**
   * Objects computed from every component's final objects (after `patches:`), rendered into this
   * component's folder: namespace-wide guardrails such as a ResourceQuota sized to the whole environment.
   * Pure, like render.
   */
  derive?(env: Environment, objects: readonly KubernetesObject[]): KubernetesObject[];
  /** Third-party sources (a pinned Helm chart) synced by the same Application, beside the rendered folder. */
  extraSources?(env: Environment): ApplicationSource[];
  /** Cluster-scoped kinds the extra sources create, for the AppProject allow-list (`group/Kind`). */
  extraClusterKinds?(env: Environment): string[];
  /** Namespaced kinds the extra sources create, for the AppProject allow-list (`group/Kind`). */
  extraNamespacedKinds?(env: Environment): string[];
}

/** A Secret the environment's pods read, with its keys: what an operator creates when secrets are `preexisting`. */
export interface SecretRequirement {
  name: string;
  keys: string[];
  /** The remote secret the keys are read from, below `secrets.remotePrefix` (External Secrets only). */
  remote?: string;
}
