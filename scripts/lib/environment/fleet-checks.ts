// Checks that need every environment at once (two shops in one namespace or on one host): one per file in checks/, registered here.
import type { InputErrorDetail } from '../errors.ts';
import type { LoadedEnvironment } from './load.ts';
import { uniqueHost } from './checks/unique-host.ts';
import { uniqueNamespace } from './checks/unique-namespace.ts';

/**
 * Sees every loaded environment with its source positions (`locate`) and returns one detail per
 * problem, pointing at the line of the environment that comes later by name.
 */
export type FleetCheck = (fleet: readonly LoadedEnvironment[]) => InputErrorDetail[];

export const FLEET_CHECKS: readonly FleetCheck[] = [uniqueNamespace, uniqueHost];

