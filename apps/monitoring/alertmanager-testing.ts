// Test helpers for the Alertmanager configuration: where each class of alert must go, and the copy that
// the Debian amtool 0.25 can read.

/** The receiver an alert must reach, from its labels: backups to `backup`, then critical, then everything else to `warning`. */
export function expectedReceiver(labels: Record<string, string | undefined>): string {
  if (labels.category === 'backup') return 'backup';
  return labels.severity === 'critical' ? 'critical' : 'warning';
}

/** A placeholder the 0.25 copy puts where the webhook's URL file was; it never leaves the test. */
export const WEBHOOK_PLACEHOLDER_URL = 'https://webhook.invalid/';

/**
 * The configuration with every webhook `url_file` (Alertmanager 0.26 and later, which the chart ships)
 * replaced by a literal placeholder `url`, the only field amtool 0.25 does not know. Everything else is
 * left as rendered, so amtool checks it as Alertmanager will read it.
 */
export function amtool025Compatible(config: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(config) as { receivers?: { webhook_configs?: Record<string, unknown>[] }[] };
  for (const receiver of copy.receivers ?? []) {
    for (const webhook of receiver.webhook_configs ?? []) {
      if ('url_file' in webhook) {
        delete webhook.url_file;
        webhook.url = WEBHOOK_PLACEHOLDER_URL;
      }
    }
  }
  return copy as Record<string, unknown>;
}
