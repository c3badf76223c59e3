// The db component (wave 1): PostgreSQL, its Services and credentials, who may reach it, and its nightly backup.
import type { Component } from '../../scripts/lib/component.ts';
import { edge, OROCOMMERCE_PODS, podsWith } from '../lib/network.ts';
import { untyped } from '../lib/objects.ts';
import { dbCredentials } from '../lib/secrets.ts';
import { serviceAccount } from '../lib/security.ts';
import { WAVES } from '../waves.ts';
import { databaseBackup } from './backup.ts';
import { DATABASE_NAME, databaseHeadlessService, databaseSelector, databaseService, POSTGRES_PORT } from './service.ts';
import { databaseStatefulSet } from './statefulset.ts';

export const component: Component = {
  name: 'db',
  wave: WAVES.db,
  description: 'PostgreSQL StatefulSet database-orocommerce with its client and headless Services, and its nightly pg_dump backup',
  render: (env) => [
    ...dbCredentials(env),
    untyped(serviceAccount(DATABASE_NAME, databaseSelector(env))),
    untyped(databaseStatefulSet(env)),
    untyped(databaseService(env)),
    untyped(databaseHeadlessService(env)),
    // Seed 000's policy: only the shop's pods reach 5432.
    ...edge('database', OROCOMMERCE_PODS, podsWith(databaseSelector(env)), [POSTGRES_PORT.containerPort]).map(untyped),
    ...databaseBackup(env),
  ],
};
