// The webserver's configuration step: Oro's nginx-init renders nginx's config into an emptyDir, as Compose's web-init does.
import type { V1Container, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { oroEnvFrom } from '../lib/config.ts';
import { TMP_MOUNT } from '../lib/oro-pod.ts';
import { restrictedContainer } from '../lib/security.ts';
import { NGINX_STUB_STATUS_SERVER } from '../monitoring/exporters.ts';

/** Where nginx-init writes the config and the nginx container reads it (Compose's `nginx` volume). */
export const NGINX_CONFIG_DIR = '/opt/oro-nginx';
const TOOL_DIR = '/opt/oro-nginx-tool';
const TOOL_COPY = '/mnt/oro-nginx-tool';

export const NGINX_CONFIG_VOLUME: V1Volume = { name: 'nginx-config', emptyDir: { sizeLimit: '64Mi' } };
export const NGINX_CONFIG_MOUNT: V1VolumeMount = { name: NGINX_CONFIG_VOLUME.name, mountPath: NGINX_CONFIG_DIR };
export const NGINX_TOOL_VOLUME: V1Volume = { name: 'nginx-tool', emptyDir: { sizeLimit: '64Mi' } };

function initResources(env: Environment): V1Container['resources'] {
  const { requests, limits } = env.web.initResources;
  return { requests: { ...requests }, limits: { ...limits } };
}

/**
 * Compose's web-init first relaxes the site-name pattern in the tool's schema, editing the image in
 * place; with a read-only image filesystem the tool is copied into an emptyDir and patched there.
 */
function nginxToolCopy(env: Environment): V1Container {
  const schema = `${TOOL_COPY}/variables.schema.json`;
  return {
    name: 'nginx-tool',
    image: imageRef(env.oro.image),
    command: [
      'bash', '-c',
      [
        'set -euo pipefail',
        `cp -R ${TOOL_DIR}/. ${TOOL_COPY}/`,
        `jq '.properties.sites.propertyNames.pattern = ".*"' ${schema} > ${TOOL_COPY}/schema.tmp`,
        `mv ${TOOL_COPY}/schema.tmp ${schema}`,
      ].join('\n'),
    ],
    resources: initResources(env),
    securityContext: restrictedContainer(),
    volumeMounts: [{ name: NGINX_TOOL_VOLUME.name, mountPath: TOOL_COPY }, TMP_MOUNT],
  };
}

/**
 * nginx-init, then Compose's removal of the GridFS/MongoDB locations (no MongoDB in the Community
 * Edition). With monitoring, the exporter's loopback stub_status server is added beside the site
 * configs, which nginx includes in its `http` block (UNVERIFIED: nginx-init's layout is not public).
 */
function webInit(env: Environment): V1Container {
  const sites = `${NGINX_CONFIG_DIR}/etc/sites-available`;
  const stubStatus = env.monitoring.enabled ? [`printf '%s' "$NGINX_STUB_STATUS_SERVER" > ${sites}/stub-status.conf`] : [];
  return {
    name: 'web-init',
    image: imageRef(env.oro.image),
    command: [
      'bash', '-c',
      ['set -euo pipefail', '/usr/local/bin/docker-entrypoint.sh nginx-init', `sed -i '/gridfs/d; /mongo/d' ${sites}/*.conf`, ...stubStatus].join('\n'),
    ],
    envFrom: oroEnvFrom(),
    ...(env.monitoring.enabled ? { env: [{ name: 'NGINX_STUB_STATUS_SERVER', value: NGINX_STUB_STATUS_SERVER }] } : {}),
    resources: initResources(env),
    securityContext: restrictedContainer(),
    volumeMounts: [NGINX_CONFIG_MOUNT, { name: NGINX_TOOL_VOLUME.name, mountPath: TOOL_DIR }, TMP_MOUNT],
  };
}

/** The two initContainers, in order. */
export function nginxInitContainers(env: Environment): V1Container[] {
  return [nginxToolCopy(env), webInit(env)];
}
