// Output formats: one text line per finding plus a summary, key-sorted JSON, well-formed and escaped JUnit XML.
import { describe, expect, it } from 'vitest';
import { findingLine, formatFindings, formatJson, formatJunit, formatText, summaryLine, xmlEscape } from './format.ts';
import type { Finding } from './types.ts';

const image: Finding = {
  file: 'rendered/prod/web/deployment-webserver.yaml',
  kind: 'Deployment',
  name: 'webserver',
  path: 'spec.template.spec.containers[0].image',
  message: 'tag latest floats; pin a version or a digest',
  rule: 'image-pinned',
};
const yamlError: Finding = { file: 'rendered/prod/app/configmap-x.yaml', kind: '', name: '', path: '3:1', message: 'Map keys must be unique', rule: 'yaml-duplicate-key' };
const hostile: Finding = { ...image, name: 'a<b>&"c\'', message: 'bad <xml> & "quotes" -- \u0007bell', rule: 'no-credentials' };
const summary = { documents: 142, environments: 3 };

describe('text', () => {
  it('prints file, object, path, message and rule, then the summary', () => {
    expect(formatText([image, yamlError], summary)).toBe(
      [
        'rendered/prod/web/deployment-webserver.yaml Deployment/webserver spec.template.spec.containers[0].image: tag latest floats; pin a version or a digest [image-pinned]',
        'rendered/prod/app/configmap-x.yaml 3:1: Map keys must be unique [yaml-duplicate-key]',
        'validate: 2 findings in 2 files (142 documents, 3 environments)',
        '',
      ].join('\n'),
    );
  });

  it('omits an empty path and counts in the singular', () => {
    expect(findingLine({ ...image, path: '' })).toBe('rendered/prod/web/deployment-webserver.yaml Deployment/webserver: tag latest floats; pin a version or a digest [image-pinned]');
    expect(summaryLine([image], { documents: 1, environments: 1 })).toBe('validate: 1 finding in 1 file (1 document, 1 environment)');
    expect(summaryLine([], summary)).toBe('validate: no findings (142 documents, 3 environments)');
    expect(summaryLine([image])).toBe('validate: 1 finding in 1 file');
  });
});

describe('json', () => {
  it('sorts keys at every level, so the output is byte-stable', () => {
    const out = formatJson([image], summary);
    expect(out.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(out) as { findings: Finding[]; summary: Record<string, number> };
    expect(Object.keys(parsed)).toEqual(['findings', 'summary']);
    expect(Object.keys(parsed.findings[0]!)).toEqual(['file', 'kind', 'message', 'name', 'path', 'rule']);
    expect(parsed.summary).toEqual({ documents: 142, environments: 3, files: 1, findings: 1 });
    expect(formatJson([image], summary)).toBe(out);
  });
});

describe('junit', () => {
  const xml = formatJunit([image, { ...image, path: 'spec.template.spec.initContainers[0].image' }, yamlError, hostile], summary, ['image-pinned', 'probes-required']);

  it('has a suite per rule and a failing testcase per document × rule', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="validate" tests="4" failures="3" errors="0">')).toBe(true);
    expect(xml).toContain('<testsuite name="image-pinned" tests="1" failures="1" errors="0" skipped="0">');
    expect(xml).toContain('spec.template.spec.containers[0].image: tag latest floats; pin a version or a digest\nspec.template.spec.initContainers[0].image: tag latest floats');
    expect(xml).toContain('<testsuite name="probes-required" tests="1" failures="0" errors="0" skipped="0">\n    <testcase classname="probes-required" name="all documents"/>');
    expect(xml).toContain('<testcase classname="yaml-duplicate-key" name="rendered/prod/app/configmap-x.yaml">');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xml).toContain('name="rendered/prod/web/deployment-webserver.yaml Deployment/a&lt;b&gt;&amp;&quot;c&apos;"');
    expect(xml).toContain('message="bad &lt;xml&gt; &amp; &quot;quotes&quot; -- bell"');
    expect(xml).not.toContain('\u0007');
    expect(xmlEscape('a & b')).toBe('a &amp; b');
  });

  it('balances its elements and keeps "--" out of comments', () => {
    const opened = (xml.match(/<(testsuites|testsuite|testcase|failure)[ >]/g) ?? []).length;
    const selfClosed = (xml.match(/\/>/g) ?? []).length;
    const closed = (xml.match(/<\/(testsuites|testsuite|testcase|failure)>/g) ?? []).length;
    expect(opened).toBe(closed + selfClosed);
    for (const comment of xml.match(/<!--([\s\S]*?)-->/g) ?? []) expect(comment.slice(4, -3)).not.toContain('--');
  });
});

it('dispatches on the format name', () => {
  expect(formatFindings('text', [], summary, [])).toBe('validate: no findings (142 documents, 3 environments)\n');
  expect(JSON.parse(formatFindings('json', [], summary, []))).toEqual({ findings: [], summary: { documents: 142, environments: 3, files: 0, findings: 0 } });
  expect(formatFindings('junit', [], summary, ['image-pinned'])).toContain('tests="1" failures="0"');
});
