// The order logs reads a component's containers in: Job pods by wave first, init containers before containers.
import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { logSources, prefixed } from './logs.ts';

const l = { 'app.kubernetes.io/component': 'init-jobs' };
const job = (name: string, wave: string) => ({ metadata: { name, labels: l, annotations: { 'argocd.argoproj.io/sync-wave': wave } } }) as V1Job;
const pod = (name: string, jobName: string | undefined, init: string[] = []) =>
  ({ metadata: { name, labels: { ...l, ...(jobName ? { 'job-name': jobName } : {}) } }, spec: { initContainers: init.map((n) => ({ name: n })), containers: [{ name: 'main' }] } }) as unknown as V1Pod;

describe('logSources', () => {
  it('reads volume-init before restore, and each pod init containers first', () => {
    const sources = logSources('init-jobs', [job('oro-restore', '4'), job('volume-init', '3')], [pod('oro-restore-a', 'oro-restore', ['wait']), pod('volume-init-b', 'volume-init'), pod('other', undefined)]);
    expect(sources.map((s) => `${s.pod}/${s.container}`)).toEqual(['volume-init-b/main', 'oro-restore-a/wait', 'oro-restore-a/main', 'other/main']);
  });

  it('ignores other components', () => {
    expect(logSources('web', [], [pod('x', undefined)])).toEqual([]);
  });
});

describe('prefixed', () => {
  it('prefixes whole lines, across chunks', async () => {
    const out: string[] = [];
    const s = prefixed('[p/c]', (x) => out.push(x));
    s.write('one\ntw');
    s.write('o\n');
    s.end('three');
    await new Promise((r) => s.on('finish', r));
    expect(out).toEqual(['[p/c] one\n', '[p/c] two\n', '[p/c] three\n']);
  });
});
