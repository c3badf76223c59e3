// Spread constraints (D-16): a hard zone rule with minDomains where the environment names its zones, soft rules elsewhere.
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/cli.ts';
import { loadEnvironment } from '../../scripts/lib/environment/load.ts';
import { environmentFileSchema } from '../../scripts/lib/environment/schema.ts';
import { TEST_REPO_URL, testEnvironment } from '../../scripts/lib/environment/testing.ts';
import { spreadConstraints } from './availability.ts';

const SELECTOR = { 'app.kubernetes.io/name': 'php-fpm' };
const zoneOf = (topology: { zoneSpread?: boolean; zones?: number }) => spreadConstraints(testEnvironment('prod', { topology }), SELECTOR)[0];

describe('spreadConstraints', () => {
  it('makes every zone hold its share where zones are spread and counted (minDomains with DoNotSchedule)', () => {
    expect(zoneOf({ zoneSpread: true, zones: 3 })).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 3, maxSkew: 1 });
  });

  it('spreads over the zones that exist when their number is not given', () => {
    const zone = zoneOf({ zoneSpread: true });
    expect(zone?.whenUnsatisfiable).toBe('DoNotSchedule');
    expect(zone).not.toHaveProperty('minDomains');
  });

  it('never sets minDomains on a soft rule, which the API refuses', () => {
    const zone = zoneOf({ zones: 3 });
    expect(zone?.whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(zone).not.toHaveProperty('minDomains');
    const node = spreadConstraints(testEnvironment('prod', { topology: { zoneSpread: true, zones: 3 } }), SELECTOR)[1];
    expect(node).toEqual({
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: SELECTOR },
      matchLabelKeys: ['pod-template-hash'],
    });
  });

  it('accepts 2 to 10 zones, whole numbers only', () => {
    const parse = (zones: number) => environmentFileSchema.safeParse({ domain: 'a.example.com', source: { repoURL: TEST_REPO_URL }, topology: { zoneSpread: true, zones } }).success;
    expect([2, 3, 10].map(parse)).toEqual([true, true, true]);
    expect([1, 11, 2.5].map(parse)).toEqual([false, false, false]);
  });

  it('spreads environments/prod.yaml over its three zones', async () => {
    const prod = await loadEnvironment(REPO_ROOT, 'prod');
    expect(spreadConstraints(prod, SELECTOR)[0]).toMatchObject({ whenUnsatisfiable: 'DoNotSchedule', minDomains: 3 });
  });
});
