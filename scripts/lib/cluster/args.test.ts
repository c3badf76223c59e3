// kubectl's flag names for every cluster command, parsed strictly.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli.ts';
import { parseClusterArgs } from './args.ts';
import { withPorts } from '../../forward.ts';

describe('parseClusterArgs', () => {
  it('reads --env, --context, --kubeconfig, -n and -o json', () => {
    const { common } = parseClusterArgs(['--env', 'dev', '--context', 'kind-x', '--kubeconfig', '/k', '-n', 'ns', '-o', 'json'], 'usage');
    expect(common).toEqual({ env: 'dev', context: 'kind-x', kubeconfig: '/k', namespace: 'ns', json: true, help: false });
  });

  it('refuses unknown flags, a missing --env, and outputs other than json', () => {
    expect(() => parseClusterArgs(['--env', 'dev', '--nope'], 'usage')).toThrow(UsageError);
    expect(() => parseClusterArgs([], 'usage')).toThrow(/--env is required/);
    expect(() => parseClusterArgs(['--env', 'dev', '-o', 'yaml'], 'usage')).toThrow(/--output yaml: only json is supported/);
    expect(() => parseClusterArgs(['--env', 'dev', '-o', 'json'], 'usage', {}, { output: false })).toThrow(/--output is not supported here/);
  });

  it('lets --help through without --env', () => {
    expect(parseClusterArgs(['-h'], 'usage').common.help).toBe(true);
  });
});

describe('forward --port', () => {
  it('overrides one local port and refuses unknown names', () => {
    expect(withPorts(['postgresql=15432']).map((s) => `${s.name}:${s.localPort}`)).toEqual(['shop:8080', 'grafana:3000', 'prometheus:9090', 'postgresql:15432']);
    expect(() => withPorts(['redis=1'])).toThrow(/--port redis=1: expected NAME=PORT/);
  });
});
