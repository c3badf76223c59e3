// Workloads allowed to break a rule, each with the reason; an exception that suppresses nothing is reported as stale.
import type { Finding } from '../lib/validate/types.ts';

export interface RuleException {
  kind: string;
  name: string;
  rules: readonly string[];
  reason: string;
}

/** Rule id of the finding raised for an exception that no longer suppresses anything. */
const STALE_EXCEPTION_RULE = 'exception-unused';
const EXCEPTIONS_FILE = 'scripts/rules/exceptions.ts';

export const EXCEPTIONS: readonly RuleException[] = [
  {
    kind: 'Job',
    name: 'volume-init',
    rules: ['pod-security-restricted'],
    reason:
      'copies the application code from the image into the shared volumes and hands them to www-data: chown needs root with CHOWN, DAC_OVERRIDE and FOWNER (Kubernetes never pre-fills a volume from an image)',
  },
  {
    kind: 'Deployment',
    name: 'orocommerce-app-cron',
    rules: ['pod-security-restricted'],
    reason:
      "crond must run as root to start each job as its crontab's owner (www-data): SETUID/SETGID for that switch, DAC_OVERRIDE to read the 0600 crontab and /etc/shadow, AUDIT_WRITE for PAM (Docker's defaults that Compose gives it), all within Pod Security baseline",
  },
];

export function suppresses(exception: RuleException, f: Finding): boolean {
  return exception.kind === f.kind && exception.name === f.name && exception.rules.includes(f.rule);
}

/** Removes the findings an exception covers, and reports every exception rule that covered none. */
export function applyExceptions(findings: readonly Finding[], exceptions: readonly RuleException[]): Finding[] {
  const kept = findings.filter((f) => !exceptions.some((e) => suppresses(e, f)));
  const stale = exceptions.flatMap((e, i) =>
    e.rules
      .filter((rule) => !findings.some((f) => f.rule === rule && suppresses(e, f)))
      .map((rule) => ({
        file: EXCEPTIONS_FILE,
        kind: e.kind,
        name: e.name,
        path: `EXCEPTIONS[${i}].rules`,
        message: `the exception for ${rule} suppresses nothing in the validated environments: remove it`,
        rule: STALE_EXCEPTION_RULE,
      })),
  );
  return [...kept, ...stale];
}
