// No credential in any rendered value: passwords in URLs, private keys, well-known token formats, literal secret settings.
import { finding, type Finding, type RenderedDoc, type Rule } from '../lib/validate/types.ts';

const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, 'a PEM private key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_\w{22,}/, 'a GitHub token'],
  [/\bglpat-[\w-]{20,}/, 'a GitLab token'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[\w-]{35}\b/, 'a Google API key'],
  [/\b[rs]k_live_[0-9A-Za-z]{16,}/, 'a Stripe key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/, 'a JSON Web Token'],
];

/** `scheme://user:password@host`; the password group is checked against REFERENCE before it counts. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@/gi;
/** Kubernetes `$(VAR)`, shell `${VAR}` and Symfony `%env(VAR)%` stand for a value injected at run time. */
const REFERENCE = /^(?:\$\([A-Za-z_]\w*\)|\$\{[A-Za-z_]\w*\}|%env\([^)]*\)%)$/;
/** Env-style settings (`ORO_SECRET`, `DB_PASSWORD`) hold the secret unless they name where it lives. */
const SECRET_SETTING = /^(?:\w+_)?(?:PASSWORD|PASSWD|SECRET|TOKEN)(?:_\w+)?$/i;
const LOCATOR_SUFFIX = /_(?:FILE|PATH|NAME|DIR|URL|TTL|LIFETIME|TYPE)$/i;
/** Other keys (Helm values such as `adminPassword`) only when they end in password: `existingSecret` names a Secret. */
const PASSWORD_KEY = /passw(?:or)?d$/i;

function isLiteral(value: string): boolean {
  return value.trim() !== '' && !REFERENCE.test(value.trim());
}

function secretSetting(key: string): boolean {
  return /^[A-Z0-9_]+$/.test(key) ? SECRET_SETTING.test(key) && !LOCATOR_SUFFIX.test(key) : PASSWORD_KEY.test(key);
}

function valueProblems(value: string): string[] {
  const passwords = [...value.matchAll(URL_PASSWORD)].filter((m) => isLiteral(m[1] ?? '')).map(() => 'a URL with a literal password');
  return [...passwords, ...TOKEN_PATTERNS.filter(([re]) => re.test(value)).map(([, what]) => what)];
}

function scan(doc: RenderedDoc, node: unknown, path: string, out: Finding[]): void {
  const report = (at: string, what: string) =>
    out.push(finding(doc, 'no-credentials', at, `${what} is committed in clear: reference a Secret from the store instead`));
  if (typeof node === 'string') {
    for (const what of valueProblems(node)) report(path, what);
  } else if (Array.isArray(node)) {
    node.forEach((v, i) => scan(doc, v, `${path}[${i}]`, out));
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    // An env entry `{ name: ORO_SECRET, value: … }` is a setting named by its `name` field.
    if (typeof o.name === 'string' && typeof o.value === 'string' && secretSetting(o.name) && isLiteral(o.value)) {
      report(`${path}.value`, `literal value of ${o.name}`);
    }
    for (const [key, value] of Object.entries(o)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (typeof value === 'string' && secretSetting(key) && isLiteral(value)) report(at, `literal value of ${key}`);
      scan(doc, value, at, out);
    }
  }
}

export const rule: Rule = {
  id: 'no-credentials',
  layer: 'policy',
  description: 'No password, private key, token or literal secret setting appears in a rendered value',
  check: (ctx) =>
    ctx.docs.flatMap((d) => {
      const out: Finding[] = [];
      scan(d, d.object, '', out);
      return out;
    }),
};
