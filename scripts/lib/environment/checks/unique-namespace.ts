// Two environments on one cluster (destination.server) must not share a namespace: each would prune the other's objects.
import type { FleetCheck } from '../fleet-checks.ts';
import { duplicatesBy } from './duplicates.ts';

export const uniqueNamespace: FleetCheck = (fleet) =>
  duplicatesBy(
    fleet,
    (l) => `${l.env.destination.server}\0${l.env.destination.namespace}`,
    (first, later) => ({
      ...later.locate(['destination', 'namespace']),
      field: 'destination.namespace',
      message:
        `${later.env.name} and ${first.env.name} (${first.file}) both deploy to namespace ${later.env.destination.namespace} on ${later.env.destination.server}; ` +
        'their Applications would fight over the same objects: give one its own destination.namespace (the default is orocommerce-<name>) or cluster',
    }),
  );
