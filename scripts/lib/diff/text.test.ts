// The terminal report: layout, and colour only for a terminal without NO_COLOR.
import { describe, expect, it } from 'vitest';
import { compareTrees } from './compare.ts';
import { groupChanges, type DiffReport } from './group.ts';
import { formatText, useColor } from './text.ts';

const report = (changed: boolean): DiffReport => ({
  base: { label: 'main', detail: '0123abcd' },
  head: { label: 'working tree', detail: '4567ef01 + uncommitted changes' },
  groups: changed
    ? groupChanges(compareTrees(new Map([['rendered/prod/web/configmap-a.yaml', 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n']]), new Map([['rendered/prod/web/configmap-a.yaml', 'kind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: two\n']])))
    : [],
  notes: [],
  command: 'npm run diff -- --base main',
});

describe('useColor', () => {
  it('colours a terminal unless NO_COLOR is set to something', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(undefined, {})).toBe(false);
  });
});

describe('formatText', () => {
  it('prints the sides, a summary table and each diff', () => {
    expect(formatText(report(true), { color: false })).toBe(
      [
        'Rendered manifests: main (0123abcd) → working tree (4567ef01 + uncommitted changes)',
        'Restarts pods: none (no Deployment, StatefulSet or DaemonSet pod template changes).',
        '1 object in 1 application (+0 ~1 -0), +1 -1 lines',
        '',
        '  ENVIRONMENT  APPLICATION           OBJECTS +/~/-  LINES +/-  CHANGES',
        '  prod         orocommerce-prod-web  +0 ~1 -0       +1 -1      1 config',
        '',
        '── prod · orocommerce-prod-web (rendered/prod/web) ──',
        '',
        '~ ConfigMap/a  rendered/prod/web/configmap-a.yaml  (changed · config, +1 -1)',
        '@@ -2,4 +2,4 @@',
        ' metadata:',
        '   name: a',
        ' data:',
        '-  k: one',
        '+  k: two',
        '',
      ].join('\n'),
    );
  });

  it('colours additions, removals and hunk headers only when asked', () => {
    const coloured = formatText(report(true), { color: true });
    expect(coloured).toContain('\x1b[31m-  k: one\x1b[0m');
    expect(coloured).toContain('\x1b[32m+  k: two\x1b[0m');
    expect(coloured).toContain('\x1b[36m@@ -2,4 +2,4 @@\x1b[0m');
    expect(formatText(report(true), { color: false })).not.toContain('\x1b');
  });

  it('says when nothing changes', () => {
    expect(formatText(report(false), { color: false })).toBe('Rendered manifests: main (0123abcd) → working tree (4567ef01 + uncommitted changes)\nNo changes to rendered manifests.\n');
  });
});
