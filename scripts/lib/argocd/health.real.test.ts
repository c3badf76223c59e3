// The health scripts in the interpreter Argo CD embeds (gopher-lua is Lua 5.1), on the same cases as the
// fengari tests: proves the scripts use nothing newer than Lua 5.1 and decide the same way there.
import { describe, expect, it } from 'vitest';
import { APPLICATION_CASES, PVC_CASES, type HealthCase } from './health-cases.ts';
import { APPLICATION_HEALTH_LUA, PVC_HEALTH_LUA } from './health.ts';
import { runHealthScriptLua51 } from './lua-harness.ts';
import { runProgram } from '../programs.ts';

function expectDecision(script: string, c: HealthCase): void {
  const result = runHealthScriptLua51(script, c.object);
  expect(result.status).toBe(c.status);
  if (c.message !== undefined) expect(result.message).toBe(c.message);
}

describe('lua5.1', () => {
  it('is the Lua 5.1 interpreter', () => {
    const version = runProgram('lua5.1', ['-v']);
    expect(`${version.stdout}${version.stderr}`).toMatch(/^Lua 5\.1\./);
  });
});

describe('Application health Lua (Lua 5.1)', () => {
  it.each(APPLICATION_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => expectDecision(APPLICATION_HEALTH_LUA, c));
});

describe('PVC health Lua (Lua 5.1)', () => {
  it.each(PVC_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => expectDecision(PVC_HEALTH_LUA, c));
});

describe('a script that needs more than Lua 5.1', () => {
  it('fails there (the harness does not hide syntax errors)', () => {
    expect(() => runHealthScriptLua51('local x = 1 // 2\nreturn {status = "Healthy"}', {})).toThrow(/lua5\.1 failed/);
  });
});
