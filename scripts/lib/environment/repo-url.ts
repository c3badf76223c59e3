// source.repoURL: the git repository Argo CD pulls rendered/ from; required, a real git URL, never a placeholder.
import { z } from 'zod';

/** `https://host/path`, `ssh://[user@]host[:port]/path` or scp-like `user@host:path`, the forms Argo CD accepts for git. */
const GIT_URL = /^(https:\/\/[^\s/@]+(:\d+)?\/\S+|ssh:\/\/([^\s/@]+@)?[^\s/@]+(:\d+)?\/\S+|[\w.-]+@[\w.-]+:\S+)$/;

/** Names reserved for documentation and tests (RFC 2606, RFC 6761): no real repository lives there. */
const RESERVED_HOST = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;

/** The owner `example` on the big forges: what a copied sample URL looks like. */
const SAMPLE_OWNER = /^(github\.com|gitlab\.com|bitbucket\.org)$/;

function hostAndPath(url: string): { host: string; path: string } | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(.*)$/.exec(url);
  if (scp && !url.includes('://')) return { host: scp[1]!.toLowerCase(), path: scp[2]! };
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), path: u.pathname.replace(/^\//, '') };
  } catch {
    return undefined;
  }
}

/** Why `url` is a placeholder rather than a repository someone owns; undefined when it looks real. */
export function placeholderReason(url: string): string | undefined {
  if (/[<>]|change[-_]?me|your[-_]?(org|fork|repo)/i.test(url)) return 'it is a template to fill in';
  const parts = hostAndPath(url);
  if (!parts) return undefined;
  if (RESERVED_HOST.test(parts.host)) return `${parts.host} is reserved for examples`;
  if (SAMPLE_OWNER.test(parts.host) && /^example\//i.test(parts.path)) return `${parts.host}/example is the sample owner`;
  return undefined;
}

export const FORK_HINT = "set it to your fork of this repository, the one Argo CD pulls rendered/ from (once, in environments/profiles/base.yaml)";

export const repoUrl = z
  .string({ error: (issue) => (issue.input === undefined ? `required: ${FORK_HINT}` : undefined) })
  .regex(GIT_URL, `a git URL Argo CD can clone (https://host/owner/repo.git, ssh://git@host/owner/repo.git or git@host:owner/repo.git): ${FORK_HINT}`)
  .superRefine((url, ctx) => {
    const reason = placeholderReason(url);
    if (reason) ctx.addIssue({ code: 'custom', message: `${url} is a placeholder (${reason}): ${FORK_HINT}` });
  });
