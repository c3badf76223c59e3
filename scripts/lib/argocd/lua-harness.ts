// Runs an Argo CD health Lua script on an object the way Argo CD does: `obj` global in, `hs` table out.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// fengari ships no types; the few entry points used here are typed locally.
const { lua, lauxlib, lualib, to_luastring, to_jsstring } = require('fengari') as FengariApi;

interface FengariApi {
  lua: Record<string, (...args: unknown[]) => unknown> & { LUA_OK: number };
  lauxlib: { luaL_newstate(): unknown; luaL_loadstring(L: unknown, s: Uint8Array): number };
  lualib: { luaL_openlibs(L: unknown): void };
  to_luastring(s: string): Uint8Array;
  to_jsstring(s: Uint8Array): string;
}

/** A Lua table constructor for a JSON-like value (nil for undefined/null). */
export function toLuaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLuaLiteral).join(', ')}}`;
  const fields = Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${JSON.stringify(k)}] = ${toLuaLiteral(v)}`);
  return `{${fields.join(', ')}}`;
}

export interface HealthStatus {
  status: string;
  message: string;
}

/** Evaluates `script` with `obj` bound to `object`; returns the `hs` table's status and message. */
export function runHealthScript(script: string, object: unknown): HealthStatus {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const source = `obj = ${toLuaLiteral(object)}\nlocal function check()\n${script}\nend\nlocal r = check()\nreturn r.status, r.message`;
  if (lauxlib.luaL_loadstring(L, to_luastring(source)) !== lua.LUA_OK || lua.lua_pcall!(L, 0, 2, 0) !== lua.LUA_OK) {
    throw new Error(`Lua error: ${to_jsstring(lua.lua_tostring!(L, -1) as Uint8Array)}`);
  }
  const status = to_jsstring(lua.lua_tostring!(L, -2) as Uint8Array);
  const message = lua.lua_isnil!(L, -1) ? '' : to_jsstring(lua.lua_tostring!(L, -1) as Uint8Array);
  return { status, message };
}
