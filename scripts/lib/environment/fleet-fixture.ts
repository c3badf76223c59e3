// A synthetic fleet for tests and the benchmark: N shops, each one small file on a shared profile (never committed).
import { TEST_REPO_URL } from './testing.ts';

export interface FleetOptions {
  /** Oro image tag the shared profile pins. */
  tag?: string;
  /** Prefix of the shop names: `shop` gives shop-001, shop-002, … */
  prefix?: string;
}

/** `shop-001` … `shop-500`, sorted as the loader lists them. */
export function fleetNames(count: number, prefix = 'shop'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
}

/**
 * Repository-relative path → content: `profiles/base` (the repository), `profiles/shop` (what every
 * shop shares: images, scale) and one four-line file per shop, as an agency would keep them.
 */
export function fleetFiles(count: number, options: FleetOptions = {}): Map<string, string> {
  const tag = options.tag ?? '6.1.6';
  const files = new Map<string, string>([
    ['environments/profiles/base.yaml', `source:\n  repoURL: ${TEST_REPO_URL}\n`],
    [
      'environments/profiles/shop.yaml',
      `extends: profiles/base\noro:\n  image:\n    tag: ${tag}\n  initImage:\n    tag: ${tag}\napp:\n  php-fpm:\n    hpa:\n      minReplicas: 2\n      maxReplicas: 6\nweb:\n  replicas: 2\n`,
    ],
  ]);
  for (const name of fleetNames(count, options.prefix)) {
    files.set(`environments/${name}.yaml`, `extends: profiles/shop\ndomain: ${name}.shops.example.com\ndestination:\n  server: https://k8s-${name.slice(-1)}.shops.example.com\n`);
  }
  return files;
}
