// Prints findings as text lines, stable JSON or JUnit XML, each with the same summary counts.
import type { Finding } from './types.ts';

export const FORMATS = ['text', 'json', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

export interface Summary {
  documents: number;
  environments: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fileCount(findings: readonly Finding[]): number {
  return new Set(findings.map((f) => f.file)).size;
}

/** `<file> <Kind>/<name> <path>: <message> [<rule>]`; file-level findings (YAML errors) have no object. */
export function findingLine(f: Finding): string {
  const where = [f.file, ...(f.kind ? [`${f.kind}/${f.name}`] : []), ...(f.path ? [f.path] : [])].join(' ');
  return `${where}: ${f.message} [${f.rule}]`;
}

/** The closing line; without a summary (the renderer's error report) it counts findings and files only. */
export function summaryLine(findings: readonly Finding[], s?: Summary): string {
  const scope = s ? ` (${plural(s.documents, 'document')}, ${plural(s.environments, 'environment')})` : '';
  if (findings.length === 0) return `validate: no findings${scope}`;
  return `validate: ${plural(findings.length, 'finding')} in ${plural(fileCount(findings), 'file')}${scope}`;
}

export function formatText(findings: readonly Finding[], s?: Summary): string {
  return [...findings.map(findingLine), summaryLine(findings, s)].join('\n') + '\n';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, sortKeys(o[k])]),
  );
}

export function formatJson(findings: readonly Finding[], s: Summary): string {
  const summary = { ...s, files: fileCount(findings), findings: findings.length };
  return `${JSON.stringify(sortKeys({ findings, summary }), null, 2)}\n`;
}

/** Escapes text for XML attributes and content, dropping the control characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function testcase(id: string, name: string, fs: readonly Finding[]): string {
  const detail = fs.map((f) => `${f.path ? `${f.path}: ` : ''}${f.message}`).join('\n');
  return [
    `    <testcase classname="${xmlEscape(id)}" name="${xmlEscape(name)}">`,
    `      <failure type="${xmlEscape(id)}" message="${xmlEscape(fs[0]!.message)}">${xmlEscape(detail)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

function testsuite(id: string, findings: readonly Finding[]): { xml: string; tests: number; failures: number } {
  const cases = new Map<string, Finding[]>();
  for (const f of findings.filter((x) => x.rule === id)) {
    const name = f.kind ? `${f.file} ${f.kind}/${f.name}` : f.file;
    cases.set(name, [...(cases.get(name) ?? []), f]);
  }
  const body = cases.size === 0 ? [`    <testcase classname="${xmlEscape(id)}" name="all documents"/>`] : [...cases].map(([name, fs]) => testcase(id, name, fs));
  const tests = Math.max(cases.size, 1);
  const open = `  <testsuite name="${xmlEscape(id)}" tests="${tests}" failures="${cases.size}" errors="0" skipped="0">`;
  return { xml: [open, ...body, '  </testsuite>'].join('\n'), tests, failures: cases.size };
}

/**
 * One testsuite per rule that ran (plus any other rule id found, such as yaml-invalid), one failing
 * testcase per document × rule. A rule without findings gets one passing testcase, so CI shows it ran.
 */
export function formatJunit(findings: readonly Finding[], s: Summary, ruleIds: readonly string[]): string {
  const suites = [...new Set([...ruleIds, ...findings.map((f) => f.rule)])].sort().map((id) => testsuite(id, findings));
  const tests = suites.reduce((n, x) => n + x.tests, 0);
  const failures = suites.reduce((n, x) => n + x.failures, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="validate" tests="${tests}" failures="${failures}" errors="0">`,
    // XML comments may not contain "--".
    `  <!-- ${xmlEscape(summaryLine(findings, s)).replace(/-(?=-)/g, '- ')} -->`,
    ...suites.map((x) => x.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

export function formatFindings(format: Format, findings: readonly Finding[], s: Summary, ruleIds: readonly string[]): string {
  if (format === 'json') return formatJson(findings, s);
  if (format === 'junit') return formatJunit(findings, s, ruleIds);
  return formatText(findings, s);
}
