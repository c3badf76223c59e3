// The in-place fast path writes exactly what jsdiff writes, or steps aside.
import { formatPatch, OMIT_HEADERS, structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { inPlaceHunks } from './hunks.ts';

const jsdiff = (a: string, b: string) => formatPatch(structuredPatch('f', 'f', a, b, undefined, undefined, { context: 3 }), OMIT_HEADERS).split('\n').filter((l) => l !== '');

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('inPlaceHunks', () => {
  it('matches jsdiff on in-place edits: single lines, runs, nearby and distant changes', () => {
    const next = random(7);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 20 + Math.floor(next() * 60) }, (_, i) => `  key${i % 7}: value-${i}`);
      const edited = lines.map((l, i) => (next() < 0.06 ? `  key${i % 7}: changed-${round}-${i}` : l));
      const a = `${lines.join('\n')}\n`;
      const b = `${edited.join('\n')}\n`;
      const mine = inPlaceHunks(a, b, 3);
      if (mine === undefined) continue;
      expect(mine).toEqual(jsdiff(a, b));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('steps aside for added or removed lines and a missing final newline', () => {
    expect(inPlaceHunks('a\nb\n', 'a\nb\nc\n', 3)).toBeUndefined();
    expect(inPlaceHunks('a\nb', 'a\nc', 3)).toBeUndefined();
    expect(inPlaceHunks('a\nb\n', 'a\nb\n', 3)).toBeUndefined();
  });
});
