// Reads renovate.json the way Renovate does: which files a custom manager reads, and what its regexes extract there.

export interface CustomManager {
  customType: string;
  fileMatch: string[];
  matchStrings: string[];
  depNameTemplate?: string;
  datasourceTemplate?: string;
}

export interface PackageRule {
  description?: string | string[];
  matchPackageNames?: string[];
  matchFileNames?: string[];
  allowedVersions?: string;
  groupName?: string;
  automerge?: boolean;
}

export interface RenovateConfig {
  enabledManagers?: string[];
  ignorePaths?: string[];
  gitIgnoredAuthors?: string[];
  customManagers?: CustomManager[];
  packageRules?: PackageRule[];
}

export interface ExtractedDep {
  depName?: string;
  datasource?: string;
  currentValue?: string;
  /** The digest pinned beside the tag, when the matchString captures one (Renovate's `currentDigest` group). */
  currentDigest?: string;
  registryUrl?: string;
  /** Offset of the match in the file, to tie the dependency back to its marker line. */
  index: number;
}

export interface Marker {
  /** 0-based line of the `renovate:` comment. */
  line: number;
  fields: Record<string, string>;
}

/** Renovate's regex manager compiles each matchString with the `g` flag only: no `m`, so `^`/`$` are the file's ends. */
export function compileMatchStrings(manager: CustomManager): RegExp[] {
  return manager.matchStrings.map((source) => new RegExp(source, 'g'));
}

/** The dependencies the manager finds in `content` (Renovate's default "any" strategy: every match of every regex). */
export function extractDeps(content: string, manager: CustomManager): ExtractedDep[] {
  return compileMatchStrings(manager).flatMap((regex) =>
    [...content.matchAll(regex)].map((m) => {
      const groups = m.groups ?? {};
      return {
        depName: manager.depNameTemplate ?? groups.depName,
        datasource: manager.datasourceTemplate ?? groups.datasource,
        currentValue: groups.currentValue,
        ...(groups.currentDigest ? { currentDigest: groups.currentDigest } : {}),
        registryUrl: groups.registryUrl,
        index: m.index,
      };
    }),
  );
}

/** fileMatch entries are unanchored regexes tested against the repository-relative path. */
export function readsFile(manager: CustomManager, path: string): boolean {
  return manager.fileMatch.some((source) => new RegExp(source).test(path));
}

/** A glob as Renovate's minimatch reads ignorePaths: `**` crosses folders, `*` and `?` do not. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Renovate skips a file whose path contains an ignorePaths entry or matches it as a glob. */
export function isIgnored(path: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((entry) => path.includes(entry) || globToRegExp(entry).test(path));
}

/**
 * Syntax that JS RegExp accepts but RE2 rejects. Renovate uses RE2 whenever its native module loads (as on the
 * hosted app), so a matchString that needs any of these would work in our tests and break in production.
 */
export function re2Incompatibilities(source: string): string[] {
  const checks: Array<[RegExp, string]> = [
    [/\(\?[=!]/, 'lookahead'],
    [/\(\?<[=!]/, 'lookbehind'],
    [/\\[1-9]/, 'numbered backreference'],
    [/\\k</, 'named backreference'],
  ];
  return checks.filter(([pattern]) => pattern.test(source)).map(([, name]) => name);
}

function splitField(token: string): [string, string] {
  const eq = token.indexOf('=');
  return eq < 0 ? [token, ''] : [token.slice(0, eq), token.slice(eq + 1)];
}

const MARKER = /^\s*(?:\/\/|#)\s*renovate:\s*(.*)$/;

/** `// renovate: …` and `# renovate: …` comments in a file, with their `key=value` fields. */
export function findMarkers(content: string): Marker[] {
  return content.split('\n').flatMap((text, line) => {
    const m = MARKER.exec(text);
    if (!m) return [];
    const fields = Object.fromEntries((m[1] ?? '').trim().split(/\s+/).map((token) => splitField(token)));
    return [{ line, fields }];
  });
}

/** 0-based line number of a character offset. */
export function lineOf(content: string, index: number): number {
  return content.slice(0, index).split('\n').length - 1;
}
