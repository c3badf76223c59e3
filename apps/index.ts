// The component registry, in install order; each component's wave comes from apps/waves.ts.
import type { Component } from '../scripts/lib/component.ts';
import { component as app } from './app/index.ts';
import { component as db } from './db/index.ts';
import { component as initJobs } from './init-jobs/index.ts';
import { component as monitoring } from './monitoring/index.ts';
import { component as pvcs } from './pvcs/index.ts';
import { component as web } from './web/index.ts';
import { component as websocketAlias } from './websocket-alias/index.ts';
import { component as websocket } from './websocket/index.ts';

export const COMPONENTS: readonly Component[] = [pvcs, db, initJobs, app, websocket, websocketAlias, web, monitoring];
