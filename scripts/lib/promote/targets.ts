// Which environments a promotion writes: names, globs (`prod-*`) and profiles (`profiles/prod`: every environment built on it).
import type { LoadedEnvironment } from '../environment/load.ts';

/** `prod-*`, `shop-?1`: `*` any run of characters, `?` one; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export interface Selection {
  /** Environment names in the order to promote them: each pattern's matches in name order, patterns in the order given. */
  targets: string[];
  /** Patterns that matched no environment (besides the source). */
  empty: string[];
}

/**
 * Resolves `--to` patterns against the fleet. The source environment is never a target. The order
 * is the order of the patterns, so `--to prod-canary --to 'prod-*'` puts the canary in the first batch.
 */
export function selectTargets(patterns: readonly string[], fleet: readonly LoadedEnvironment[], from: string): Selection {
  const names = fleet.map((l) => l.env.name).sort();
  const chains = new Map(fleet.map((l) => [l.env.name, l.chain.map((c) => c.ref)]));
  const targets: string[] = [];
  const empty: string[] = [];
  for (const pattern of patterns) {
    const matches = pattern.startsWith('profiles/')
      ? names.filter((n) => chains.get(n)!.includes(pattern))
      : /[*?]/.test(pattern)
        ? names.filter((n) => globToRegExp(pattern).test(n))
        : names.filter((n) => n === pattern);
    const usable = matches.filter((n) => n !== from);
    if (usable.length === 0) empty.push(pattern);
    for (const n of usable) if (!targets.includes(n)) targets.push(n);
  }
  return { targets, empty };
}

/** Splits targets into batches of `size` (all in one batch without a size). */
export function batches<T>(items: readonly T[], size: number | undefined): T[][] {
  if (size === undefined) return items.length > 0 ? [[...items]] : [];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
