// The precompiled (Ajv standalone) validators give exactly the findings of validators compiled in process.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtureDocs, splitFixture } from '../../rules/lib/fixtures.ts';
import { createSchemaSet } from './schema.ts';
import type { RenderedDoc } from './types.ts';

const DIR = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const cache = mkdtempSync(join(os.tmpdir(), 'precompiled-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

/** Every document of the corpus: a valid environment plus one broken variant per case. */
function corpusDocs(): RenderedDoc[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadFixtureDocs(splitFixture(readFileSync(join(DIR, f), 'utf8'))).docs);
}

describe('precompiled validators', () => {
  it('are saved once compiled, loaded by the next process, and report the same findings', () => {
    const docs = corpusDocs();
    const compiled = createSchemaSet('1.33', cache);
    expect(compiled.precompiledKinds).toBe(0);
    const expected = compiled.validate(docs);
    expect(expected.length, 'the corpus holds schema errors to compare').toBeGreaterThan(0);
    compiled.savePrecompiled();
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^v1\.33-[0-9a-f]{20}\.cjs$/)]);

    const loaded = createSchemaSet('1.33', cache);
    expect(loaded.precompiledKinds).toBeGreaterThan(10);
    expect(loaded.validate(docs)).toEqual(expected);
  });
});
