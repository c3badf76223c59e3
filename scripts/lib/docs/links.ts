// Relative links and heading anchors in Markdown, checked offline by remark-validate-links (not a hand-written parser).
import { remark } from 'remark';
import remarkValidateLinks from 'remark-validate-links';
import { engine } from 'unified-engine';
import type { VFile } from 'vfile';

export interface DocFinding {
  file: string;
  line: number;
  message: string;
}

/**
 * Runs the files through unified-engine together, so remark-validate-links sees every heading of every
 * file and checks `other.md#anchor` as well as `#anchor` and plain file links. `repository: false`
 * keeps it offline: no git remote is consulted and links to the hosting site are not rewritten.
 */
// unified-engine hands its FileSet to the plugins it attaches as their second argument; its typings only
// know one-argument plugins, so the plugin is widened here rather than wrapped.
const validateLinks = remarkValidateLinks as unknown as (...settings: unknown[]) => undefined;

export function brokenLinks(root: string, files: readonly string[]): Promise<DocFinding[]> {
  return new Promise((resolve, reject) => {
    engine(
      {
        processor: remark(),
        cwd: root,
        files: [...files],
        plugins: [[validateLinks, { repository: false }]],
        extensions: ['md'],
        ignoreName: '.remarkignore',
        detectConfig: false,
        detectIgnore: false,
        output: false,
        out: false,
        silent: true,
        quiet: true,
        reporter: () => '',
      },
      (error, _code, context) => {
        if (error) return reject(error);
        const findings = (context?.files ?? []).flatMap((file: VFile) =>
          file.messages.map((m) => ({ file: file.path, line: m.line ?? 0, message: m.reason })),
        );
        resolve(findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line));
      },
    );
  });
}
