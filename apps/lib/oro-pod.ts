// Containers and pod specs for Oro's images: settings from the ConfigMap and Secrets, shared volumes, explicit writable paths.
import { createHash } from 'node:crypto';
import type { V1Container, V1PodSecurityContext, V1PodSpec, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { imageRef, type Resources } from '../../scripts/lib/environment/fields.ts';
import type { Environment } from '../../scripts/lib/environment/schema.ts';
import { oroConfigMap, oroEnv, oroEnvFrom } from './config.ts';
import { oroPodSecurity, restrictedContainer } from './security.ts';
import { sharedMounts, sharedVolumes, type OroRole } from './volumes.ts';

/** Writable directories the image prepares for www-data (oro docker-build Dockerfile: opcache, session, wsdlcache). */
const PHP_WRITABLE = ['/var/lib/php/opcache', '/var/lib/php/session', '/var/lib/php/wsdlcache'];

/**
 * Where each role writes outside its volumes, now that the image filesystem is read-only: php-fpm's pid
 * (/run/php-fpm, created by the entrypoint) and log directory, crond's pid in /run, nginx's pid, temp
 * files and logs. The paths come from Oro's public Dockerfiles and OL8 packaging; the runtime image is not
 * public, so a path it needs and this list lacks shows up as a write error at start (fix: add it here).
 */
const WRITABLE_PATHS: Readonly<Record<OroRole, readonly string[]>> = {
  'php-fpm': [...PHP_WRITABLE, '/run/php-fpm', '/var/log/php-fpm'],
  consumer: PHP_WRITABLE,
  websocket: PHP_WRITABLE,
  install: PHP_WRITABLE,
  restore: PHP_WRITABLE,
  cron: [...PHP_WRITABLE, '/run'],
  webserver: ['/run', '/var/lib/nginx', '/var/log/nginx'],
};

/** /tmp is a tmpfs as in Compose; its size counts against the pod's memory. Uploads pass through it. */
export const TMP_VOLUME: V1Volume = { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } };
export const TMP_MOUNT: V1VolumeMount = { name: 'tmp', mountPath: '/tmp' };
/** One disk-backed emptyDir holds every other writable path, each in its own subPath. */
const SCRATCH_VOLUME: V1Volume = { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } };

function scratchMounts(role: OroRole): V1VolumeMount[] {
  return WRITABLE_PATHS[role].map((mountPath) => ({ name: SCRATCH_VOLUME.name, mountPath, subPath: mountPath.slice(1).replaceAll('/', '-') }));
}

export interface OroContainerSpec {
  name: string;
  role: OroRole;
  resources: Resources;
  args?: string[];
  command?: string[];
  /** Defaults to the role's image (roleImage). */
  image?: string;
  /** Added after the shared settings, so they may use `$(…)` references to them. */
  env?: V1Container['env'];
}

/**
 * One image per role, as Oro 6.1's Compose does (oroinc/docker-demo, "Update for 6.1"): the long-running roles run
 * from `oroinc/runtime`, which holds their entrypoint, php-fpm-healthcheck, job-runner and crond; their code comes
 * from pvc-oro-app, filled from the application image, which also installs; restore needs the dump of the `-init`
 * image. In 6.1 the application image is built on Oro's init base, no longer on the runtime (oroinc/docker-build
 * 093e580), so nothing public says it can run the long-running roles.
 */
export function roleImage(env: Environment, role: OroRole): string {
  if (role === 'install') return imageRef(env.oro.image);
  if (role === 'restore') return imageRef(env.oro.initImage);
  return imageRef(env.oro.runtimeImage);
}

/** A container running Oro's code as www-data, from its role's image. */
export function oroContainer(env: Environment, spec: OroContainerSpec): V1Container {
  return {
    name: spec.name,
    image: spec.image ?? roleImage(env, spec.role),
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    envFrom: oroEnvFrom(),
    // nginx runs no PHP: it gets the settings, not the credentials.
    env: [...(spec.role === 'webserver' ? [] : oroEnv(env)), ...(spec.env ?? [])],
    resources: { requests: { ...spec.resources.requests }, limits: { ...spec.resources.limits } },
    securityContext: restrictedContainer(),
    volumeMounts: [...sharedMounts(env, spec.role), TMP_MOUNT, ...scratchMounts(spec.role)],
  };
}

export interface OroPodSpec {
  role: OroRole;
  serviceAccountName: string;
  containers: V1Container[];
  initContainers?: V1Container[];
  volumes?: V1Volume[];
  securityContext?: V1PodSecurityContext;
  terminationGracePeriodSeconds?: number;
}

/**
 * A pod of Oro's: no API token, no Service env links (a Service named like `oro-db` would inject
 * ORO_DB_PORT=tcp://… over the setting restore reads), www-data with fsGroup, and the role's volumes.
 */
export function oroPodSpec(env: Environment, spec: OroPodSpec): V1PodSpec {
  return {
    serviceAccountName: spec.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: spec.securityContext ?? oroPodSecurity(env),
    ...(spec.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds } : {}),
    ...(spec.initContainers ? { initContainers: spec.initContainers } : {}),
    containers: spec.containers,
    volumes: [...sharedVolumes(spec.role), TMP_VOLUME, SCRATCH_VOLUME, ...(spec.volumes ?? [])],
  };
}

/**
 * Pod annotation that changes with Oro's settings, so a settings change rolls the pods that read them
 * (envFrom is only read at container start).
 */
export function configChecksum(env: Environment): Record<string, string> {
  const data = JSON.stringify(oroConfigMap(env).data);
  return { 'orocommerce.io/config-checksum': createHash('sha256').update(data).digest('hex') };
}
