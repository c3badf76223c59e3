// Finds environments that share a key (cluster and namespace, cluster and host), for the fleet checks.
import type { InputErrorDetail } from '../../errors.ts';
import type { LoadedEnvironment } from '../load.ts';

/** Groups environments by a key and reports every one after the first of its group, with `describe(first, later)`. */
export function duplicatesBy(
  fleet: readonly LoadedEnvironment[],
  key: (l: LoadedEnvironment) => string | undefined,
  report: (first: LoadedEnvironment, later: LoadedEnvironment) => InputErrorDetail,
): InputErrorDetail[] {
  const first = new Map<string, LoadedEnvironment>();
  const out: InputErrorDetail[] = [];
  for (const l of [...fleet].sort((a, b) => (a.env.name < b.env.name ? -1 : a.env.name > b.env.name ? 1 : 0))) {
    const k = key(l);
    if (k === undefined) continue;
    const earlier = first.get(k);
    if (earlier) out.push(report(earlier, l));
    else first.set(k, l);
  }
  return out;
}
