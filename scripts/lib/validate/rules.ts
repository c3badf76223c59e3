// The rule registry: explicit imports of every scripts/rules/<id>.ts, so a typo fails tsc (a test checks none is missing).
import type { Rule } from './types.ts';
import { rule as applicationPathExists } from '../../rules/application-path-exists.ts';
import { rule as applicationProjectScoped } from '../../rules/application-project-scoped.ts';
import { rule as configReferenceExists } from '../../rules/config-reference-exists.ts';
import { rule as dsnResolves } from '../../rules/dsn-resolves.ts';
import { rule as envReferenceResolves } from '../../rules/env-reference-resolves.ts';
import { rule as hostUniquePerCluster } from '../../rules/host-unique-per-cluster.ts';
import { rule as hpaTargetExists } from '../../rules/hpa-target-exists.ts';
import { rule as hpaTargetNoReplicas } from '../../rules/hpa-target-no-replicas.ts';
import { rule as imagePinned } from '../../rules/image-pinned.ts';
import { rule as kubectlWaitSupported } from '../../rules/kubectl-wait-supported.ts';
import { rule as labelsRequired } from '../../rules/labels-required.ts';
import { rule as noCredentials } from '../../rules/no-credentials.ts';
import { rule as noDefaultNamespace } from '../../rules/no-default-namespace.ts';
import { rule as noLaterWaveDependency } from '../../rules/no-later-wave-dependency.ts';
import { rule as noPlaintextSecret } from '../../rules/no-plaintext-secret.ts';
import { rule as pdbAllowsEviction } from '../../rules/pdb-allows-eviction.ts';
import { rule as pdbRequired } from '../../rules/pdb-required.ts';
import { rule as podSecurityRestricted } from '../../rules/pod-security-restricted.ts';
import { rule as probesRequired } from '../../rules/probes-required.ts';
import { rule as readonlyRootFilesystem } from '../../rules/readonly-root-filesystem.ts';
import { rule as resourcesRequired } from '../../rules/resources-required.ts';
import { rule as routeBackendExists } from '../../rules/route-backend-exists.ts';
import { rule as routeHostnamesMatchDomain } from '../../rules/route-hostnames-match-domain.ts';
import { rule as rwoNotShared } from '../../rules/rwo-not-shared.ts';
import { rule as serviceAccountExists } from '../../rules/service-account-exists.ts';
import { rule as serviceAccountToken } from '../../rules/service-account-token.ts';
import { rule as serviceSelectsPods } from '../../rules/service-selects-pods.ts';
import { rule as serviceTargetPortExists } from '../../rules/service-target-port-exists.ts';
import { rule as uniqueObjects } from '../../rules/unique-objects.ts';
import { rule as volumeClaimExists } from '../../rules/volume-claim-exists.ts';

/** Policy (layer 2) and reference (layer 3) rules, in id order. */
export const RULES: readonly Rule[] = [
  applicationPathExists,
  applicationProjectScoped,
  configReferenceExists,
  dsnResolves,
  envReferenceResolves,
  hostUniquePerCluster,
  hpaTargetExists,
  hpaTargetNoReplicas,
  imagePinned,
  kubectlWaitSupported,
  labelsRequired,
  noCredentials,
  noDefaultNamespace,
  noLaterWaveDependency,
  noPlaintextSecret,
  pdbAllowsEviction,
  pdbRequired,
  podSecurityRestricted,
  probesRequired,
  readonlyRootFilesystem,
  resourcesRequired,
  routeBackendExists,
  routeHostnamesMatchDomain,
  rwoNotShared,
  serviceAccountExists,
  serviceAccountToken,
  serviceSelectsPods,
  serviceTargetPortExists,
  uniqueObjects,
  volumeClaimExists,
];
