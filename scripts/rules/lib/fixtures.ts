// Loads test fixtures: multi-document YAML where each document may carry `# key: value` header comments, `# file:` naming its rendered path.
import { parse } from 'yaml';
import type { Finding, RenderedDoc } from '../../lib/validate/types.ts';
import { parseRendered } from '../../lib/validate/load-rendered.ts';
import { rec, str, strings } from './access.ts';

/** Environment of documents without a `# file:` header. */
const FIXTURE_ENV = 'fixture';

export interface FixtureDoc {
  headers: Record<string, string>;
  text: string;
}

export interface Fixture {
  /** Headers of the first document, which double as the file's headers (`# expect: <rule>`). */
  headers: Record<string, string>;
  docs: RenderedDoc[];
  /** YAML problems found while loading, as `npm run validate` reports them for rendered files. */
  findings: Finding[];
}

/** Splits on `---` lines and reads the `# key: value` lines among the comments leading each document. */
export function splitFixture(text: string): FixtureDoc[] {
  return text
    .split(/^---[ \t]*$/m)
    .map((chunk) => {
      const headers: Record<string, string> = {};
      for (const line of chunk.split('\n')) {
        if (line.trim() !== '' && !line.startsWith('#')) break;
        const m = /^#\s*([\w-]+):\s*(.*?)\s*$/.exec(line);
        if (m) headers[m[1]!] = m[2]!;
      }
      return { headers, text: chunk };
    })
    .filter((d) => d.text.split('\n').some((l) => l.trim() !== '' && !l.trimStart().startsWith('#')));
}

/** `rendered/fixture/<component label or app>/<kind>-<name>.yaml`, the path the renderer would give the object. */
function derivedFile(text: string): string {
  // The strict parse below reports broken YAML; here a best-effort read is enough to name the file.
  let o: Record<string, unknown> = {};
  try {
    o = rec(parse(text, { uniqueKeys: false }));
  } catch {
    o = {};
  }
  const meta = rec(o.metadata);
  const component = strings(meta.labels)['app.kubernetes.io/component'] ?? 'app';
  return `rendered/${FIXTURE_ENV}/${component}/${(str(o.kind) ?? 'unknown').toLowerCase()}-${str(meta.name) ?? 'unnamed'}.yaml`;
}

export function loadFixtureDocs(parts: readonly FixtureDoc[]): Omit<Fixture, 'headers'> {
  const loaded = parts.map((p) => parseRendered(p.text, p.headers.file ?? derivedFile(p.text)));
  return { docs: loaded.flatMap((l) => l.docs), findings: loaded.flatMap((l) => l.findings) };
}

export function parseFixture(text: string): Fixture {
  const parts = splitFixture(text);
  return { headers: parts[0]?.headers ?? {}, ...loadFixtureDocs(parts) };
}
