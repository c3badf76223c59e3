// The Gateway API release whose standard-channel CRDs are vendored: the schemas validate routes against it, the cluster suite installs it.
import { fileURLToPath } from 'node:url';

// renovate: datasource=github-releases depName=kubernetes-sigs/gateway-api
export const GATEWAY_API_VERSION = 'v1.6.1';

/** The upstream CRD manifests, unchanged (HTTPRoute, ReferenceGrant, Gateway): what a test cluster installs. */
export const GATEWAY_API_CRD_DIR = fileURLToPath(new URL('../schemas/upstream/gateway-api/', import.meta.url));

export const GATEWAY_API_CRD_FILES = [
  'gateway.networking.k8s.io_gateways.yaml',
  'gateway.networking.k8s.io_httproutes.yaml',
  'gateway.networking.k8s.io_referencegrants.yaml',
] as const;
