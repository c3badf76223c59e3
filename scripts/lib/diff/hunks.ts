// Unified-diff hunks for the common fleet case, lines replaced in place (a tag, a checksum): linear, instead of a general diff.

/**
 * The hunk lines (`@@ … @@`, ` `, `-`, `+`) when `old` and `now` have the same number of lines and
 * differ only line by line, as jsdiff writes them: each run of changed lines as its removals then
 * its additions, `context` lines around, runs closer than twice the context merged into one hunk.
 * Undefined when the change is not of that shape (lines added or removed, no final newline).
 */
export function inPlaceHunks(old: string, now: string, context: number): string[] | undefined {
  if (!old.endsWith('\n') || !now.endsWith('\n')) return undefined;
  const a = old.slice(0, -1).split('\n');
  const b = now.slice(0, -1).split('\n');
  if (a.length !== b.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed.push(i);
  if (changed.length === 0 || changed.length * 4 > a.length) return undefined;
  // A line that moved (old line i equals new line j ≠ i, near it) is where a general diff would align differently.
  const near = new Set(changed);
  for (const i of changed) for (let j = Math.max(0, i - context); j <= Math.min(a.length - 1, i + context); j++) if (j !== i && (a[i] === b[j] || b[i] === a[j]) && near.has(j)) return undefined;
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    let end = k;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! - 1 <= context * 2) end += 1;
    const from = Math.max(0, changed[k]! - context);
    const to = Math.min(a.length, changed[end]! + 1 + context);
    out.push(`@@ -${from + 1},${to - from} +${from + 1},${to - from} @@`);
    let i = from;
    while (i < to) {
      if (a[i] === b[i]) {
        out.push(` ${a[i]}`);
        i += 1;
        continue;
      }
      let j = i;
      while (j < to && a[j] !== b[j]) j += 1;
      for (let x = i; x < j; x++) out.push(`-${a[x]}`);
      for (let x = i; x < j; x++) out.push(`+${b[x]}`);
      i = j;
    }
    k = end + 1;
  }
  return out;
}
