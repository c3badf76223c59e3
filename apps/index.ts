// The component registry, in install order; each component's wave comes from apps/waves.ts.
import type { Component, SecretRequirement } from '../scripts/lib/component.ts';
import type { Environment } from '../scripts/lib/environment/schema.ts';
import { component as app } from './app/index.ts';
import { component as db } from './db/index.ts';
import { component as initJobs } from './init-jobs/index.ts';
import { requiredSecrets as oroSecrets } from './lib/secrets.ts';
import { alertmanagerSecretRequirement } from './monitoring/alertmanager.ts';
import { grafanaAdminRequirement } from './monitoring/grafana-admin.ts';
import { component as monitoring } from './monitoring/index.ts';
import { component as pvcs } from './pvcs/index.ts';
import { component as web } from './web/index.ts';
import { component as websocketAlias } from './websocket-alias/index.ts';
import { component as websocket } from './websocket/index.ts';

export const COMPONENTS: readonly Component[] = [pvcs, db, initJobs, app, websocket, websocketAlias, web, monitoring];

/** Every Secret the environment's pods and charts read: created by hand when secrets are `preexisting`. */
export function requiredSecrets(env: Environment): SecretRequirement[] {
  return [...oroSecrets(env), ...grafanaAdminRequirement(env), ...alertmanagerSecretRequirement(env)];
}
