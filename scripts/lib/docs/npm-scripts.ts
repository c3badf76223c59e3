// `npm run <script>` named in prose must exist in package.json: a renamed script must not leave a dead command in the docs.
import type { DocFinding } from './links.ts';

const NPM_RUN = /\bnpm run ([a-z][\w:.-]*)/g;

/** Every `npm run X` in `text` whose X is not one of `scripts`. */
export function unknownNpmScripts(file: string, text: string, scripts: ReadonlySet<string>): DocFinding[] {
  const findings: DocFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(NPM_RUN)) {
      const name = match[1]!;
      if (!scripts.has(name)) {
        findings.push({ file, line: i + 1, message: `\`npm run ${name}\`: package.json has no script "${name}"` });
      }
    }
  });
  return findings;
}
