// The benchmark's floor: the same objects as the project renders, built from literals and written with yaml, nothing else.
// usage: node floor.mjs TEMPLATE.json OUT_DIR NAME...   (TEMPLATE holds one environment's objects, its name as __ENV__)
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

const [template, out, ...names] = process.argv.slice(2);
const source = readFileSync(template, 'utf8');
rmSync(out, { recursive: true, force: true });
for (const name of names) {
  // One object graph per environment, as a renderer building literals would have (no validation, no key ordering).
  const docs = JSON.parse(source.replaceAll('__ENV__', name));
  for (const dir of new Set(docs.map((d) => path.dirname(d.file)))) mkdirSync(path.join(out, dir), { recursive: true });
  for (const d of docs) writeFileSync(path.join(out, d.file), stringify(d.object, { lineWidth: 0 }));
}
