// Two environments exposed on one cluster must not claim the same host, whichever way each is exposed: the Gateway or controller would pick one.
import type { FleetCheck } from '../fleet-checks.ts';
import { duplicatesBy } from './duplicates.ts';

/**
 * Checked on the environments rather than on the rendered routes, so `npm run render` refuses before it renders
 * (it streams one environment at a time and skips unchanged ones) and the error points at the `domain:` line.
 * `npm run validate` checks the committed routes and Ingresses with the rule `host-unique-per-cluster`.
 */
export const uniqueHost: FleetCheck = (fleet) =>
  duplicatesBy(
    fleet,
    (l) => (l.env.web.exposure === 'none' ? undefined : `${l.env.destination.server}\0${l.env.domain.toLowerCase()}`),
    (first, later) => ({
      ...later.locate(['domain']),
      field: 'domain',
      message:
        `${later.env.name} and ${first.env.name} (${first.file}) both claim host ${later.env.domain} on ${later.env.destination.server}; ` +
        "the cluster's Gateway or ingress controller would send the shop's traffic to one of them: give each environment its own domain, or set web.exposure: none on one",
    }),
  );
