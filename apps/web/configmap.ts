// The seed's "Nginx ConfigMap": nginx.conf as rendered text, its volume and mount, and the checksum that rolls the pods.
import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import type { Manifest } from '../../scripts/lib/k8s.ts';
import { typed } from '../lib/objects.ts';
import { NGINX_CONF_DIR, NGINX_CONF_FILE, NGINX_STATE_DIR, nginxConf } from './nginx-conf.ts';
import { WEB_SERVICE_NAME } from './service.ts';

export const NGINX_CONFIGMAP_NAME = `${WEB_SERVICE_NAME}-nginx`;
/** Pod-template annotation: a change to nginx.conf rolls the webserver (a mounted ConfigMap alone would not reload nginx). */
export const NGINX_CHECKSUM_ANNOTATION = 'orocommerce.io/nginx-config-checksum';

export function nginxConfigMap(env: Environment): Manifest<V1ConfigMap> {
  return typed<V1ConfigMap>('v1', 'ConfigMap', {
    metadata: { name: NGINX_CONFIGMAP_NAME },
    data: { [NGINX_CONF_FILE]: nginxConf(env) },
  });
}

export function nginxConfigChecksum(env: Environment): Record<string, string> {
  return { [NGINX_CHECKSUM_ANNOTATION]: createHash('sha256').update(nginxConf(env)).digest('hex') };
}

export const NGINX_CONFIG_VOLUME: V1Volume = { name: 'nginx-config', configMap: { name: NGINX_CONFIGMAP_NAME } };
export const NGINX_CONFIG_MOUNT: V1VolumeMount = { name: NGINX_CONFIG_VOLUME.name, mountPath: NGINX_CONF_DIR, readOnly: true };
/** Disk-backed, so a large upload buffered by nginx does not count against the pod's memory. */
export const NGINX_STATE_VOLUME: V1Volume = { name: 'nginx-state', emptyDir: { sizeLimit: '1Gi' } };
export const NGINX_STATE_MOUNT: V1VolumeMount = { name: NGINX_STATE_VOLUME.name, mountPath: NGINX_STATE_DIR };
