// The Deployment shape every Oro workload shares: selector labels on the pods, spread, and a roll on settings changes.
import type { V1Deployment, V1DeploymentStrategy, V1PodSpec } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { spreadConstraints } from './availability.ts';
import { typed } from './objects.ts';
import { configChecksum } from './oro-pod.ts';

export interface DeploymentSpec {
  name: string;
  selector: Record<string, string>;
  /** Omitted when an HPA owns the replica count, so a sync never resets it (D-17). */
  replicas?: number;
  strategy: V1DeploymentStrategy;
  pod: V1PodSpec;
  /** Labels the pods carry beyond the selector (network policy roles). */
  podLabels?: Record<string, string>;
}

export function oroDeployment(env: Environment, spec: DeploymentSpec): Manifest<V1Deployment> {
  return typed<V1Deployment>('apps/v1', 'Deployment', {
    metadata: { name: spec.name, labels: { ...spec.selector } },
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      selector: { matchLabels: { ...spec.selector } },
      strategy: spec.strategy,
      template: {
        metadata: { labels: { ...spec.selector, ...spec.podLabels }, annotations: configChecksum(env) },
        spec: { ...spec.pod, topologySpreadConstraints: spreadConstraints(env, spec.selector) },
      },
    },
  });
}
