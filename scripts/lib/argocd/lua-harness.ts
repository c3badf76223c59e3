// Runs an Argo CD health Lua script on an object the way Argo CD does (`obj` global in, `hs` table out):
// in fengari for `npm test`, and in the real Lua 5.1 interpreter for `npm run test:real`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runProgram } from '../programs.ts';

const require = createRequire(import.meta.url);

interface FengariApi {
  lua: Record<string, (...args: unknown[]) => unknown> & { LUA_OK: number };
  lauxlib: { luaL_newstate(): unknown; luaL_loadstring(L: unknown, s: Uint8Array): number };
  lualib: { luaL_openlibs(L: unknown): void };
  to_luastring(s: string): Uint8Array;
  to_jsstring(s: Uint8Array): string;
}

/** fengari is loaded on first use only, so the Lua 5.1 path does not need it. It ships no types. */
function fengari(): FengariApi {
  return require('fengari') as FengariApi;
}

/**
 * A Lua string literal that Lua 5.1 and 5.3 read back as the same UTF-8 bytes: printable ASCII as is,
 * `"` and `\` escaped, every other byte as a decimal escape (`\ddd`, the only numeric escape Lua 5.1
 * knows; JSON's `\uXXXX` would be a syntax error there).
 */
export function luaString(s: string): string {
  let out = '"';
  for (const byte of Buffer.from(s, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * A Lua table constructor for a JSON value, shaped as Argo CD hands objects to its Lua VM: objects
 * become tables keyed by string, arrays become sequences indexed from 1, null becomes nil.
 */
export function toLuaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot express ${value} as JSON or Lua`);
    return String(value);
  }
  if (Array.isArray(value)) return `{${value.map(toLuaLiteral).join(', ')}}`;
  const fields = Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${luaString(k)}] = ${toLuaLiteral(v)}`);
  return `{${fields.join(', ')}}`;
}

export interface HealthStatus {
  status: string;
  message: string;
}

/** Evaluates `script` in fengari with `obj` bound to `object`; returns the `hs` table's status and message. */
export function runHealthScript(script: string, object: unknown): HealthStatus {
  const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari();
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

/**
 * The driver for the real interpreter: sets the global `obj`, loads the script file as a chunk (as
 * Argo CD's `DoString` does) and writes status and message length-prefixed, so any byte survives.
 */
const LUA51_DRIVER = `local chunk = assert(loadfile(arg[1]))
local hs = chunk()
local status = hs.status or ""
local message = hs.message or ""
io.write(#status, ":", status, #message, ":", message)
`;

/** Splits the driver's `<len>:<bytes><len>:<bytes>` output (lengths in bytes) into status and message. */
export function parseLengthPrefixed(output: Buffer): string[] {
  const parts: string[] = [];
  let at = 0;
  while (at < output.length) {
    const colon = output.indexOf(0x3a, at);
    if (colon < 0) throw new Error(`unexpected Lua output: ${output.toString('utf8')}`);
    const length = Number(output.subarray(at, colon).toString('ascii'));
    parts.push(output.subarray(colon + 1, colon + 1 + length).toString('utf8'));
    at = colon + 1 + length;
  }
  return parts;
}

/**
 * Evaluates `script` with `obj` bound to `object` in a fresh `lua5.1` process, the Lua version Argo CD
 * embeds (gopher-lua). Fails with how to install it when `lua5.1` is missing.
 */
export function runHealthScriptLua51(script: string, object: unknown): HealthStatus {
  const dir = mkdtempSync(path.join(tmpdir(), 'health-lua-'));
  try {
    const scriptFile = path.join(dir, 'health.lua');
    writeFileSync(scriptFile, script);
    const program = `obj = ${toLuaLiteral(object)}\n${LUA51_DRIVER}`;
    const result = runProgram('lua5.1', ['-', scriptFile], { input: program });
    if (result.status !== 0) throw new Error(`lua5.1 failed (${result.status}): ${result.stderr}`);
    const [status = '', message = ''] = parseLengthPrefixed(result.stdoutBytes);
    return { status, message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
