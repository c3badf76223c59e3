// The health Lua shipped in argocd-cm decides when a sync wave may move on; these are its decisions, in
// fengari. health.real.test.ts runs the same cases in the real Lua 5.1 interpreter.
import { describe, expect, it } from 'vitest';
import { APPLICATION_CASES, PVC_CASES, type HealthCase } from './health-cases.ts';
import { APPLICATION_HEALTH_LUA, argocdHealthConfig, PVC_HEALTH_LUA } from './health.ts';
import { luaString, parseLengthPrefixed, runHealthScript, toLuaLiteral } from './lua-harness.ts';

function expectDecision(script: string, c: HealthCase): void {
  const result = runHealthScript(script, c.object);
  expect(result.status).toBe(c.status);
  if (c.message !== undefined) expect(result.message).toBe(c.message);
}

describe('Application health Lua (fengari)', () => {
  it.each(APPLICATION_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => expectDecision(APPLICATION_HEALTH_LUA, c));
});

describe('PVC health Lua (fengari)', () => {
  it.each(PVC_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => expectDecision(PVC_HEALTH_LUA, c));
});

describe('the JSON-to-Lua bridge', () => {
  it('writes strings with decimal escapes only, which Lua 5.1 reads', () => {
    expect(luaString('a"b\\c\n\u0001é')).toBe('"a\\"b\\\\c\\010\\001\\195\\169"');
  });

  it('turns objects into string-keyed tables, arrays into sequences and null into nil', () => {
    expect(toLuaLiteral({ a: [1, 'x', true], b: null })).toBe('{["a"] = {1, "x", true}, ["b"] = nil}');
  });

  it('reads length-prefixed output by bytes, not characters', () => {
    expect(parseLengthPrefixed(Buffer.from('7:Healthy3:é:'))).toEqual(['Healthy', 'é:']);
  });
});

describe('argocdHealthConfig', () => {
  it('renders exactly the two keys, in the split-key form argocd-cm reads', () => {
    const cm = argocdHealthConfig('argocd');
    expect(cm.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd' });
    expect(Object.keys(cm.data as object).sort()).toEqual([
      'resource.customizations.health.PersistentVolumeClaim',
      'resource.customizations.health.argoproj.io_Application',
    ]);
  });
});
