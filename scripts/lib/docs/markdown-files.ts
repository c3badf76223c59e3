// The repository's Markdown files: every *.md outside dependencies, build output and test fixtures.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'reports', '.scratch', 'fixtures', 'coverage']);

/** Paths relative to `root`, sorted, of every Markdown file below it that people read. */
export function markdownFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.render')) walk(rel);
      } else if (entry.isFile() && entry.name.endsWith('.md')) {
        found.push(rel);
      }
    }
  };
  walk('');
  return found.sort();
}
