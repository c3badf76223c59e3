// What `npm run promote` prints: per target the values it wrote, per batch its commit, then what to do next.
import { describeChange } from './plan.ts';
import type { PromoteResult } from './run.ts';

export function formatPromotion(from: string, result: PromoteResult, batched: boolean): string {
  const out: string[] = [];
  for (const [i, batch] of result.batches.entries()) {
    if (batched) out.push(`batch ${i + 1}/${result.batches.length}: committed ${batch.commit}`);
    for (const t of batch.targets) {
      out.push(`promoted ${from} → ${t.env} (${t.file}):`, ...t.changes.map((c) => `  ${describeChange(c)}`), ...t.warnings.map((w) => `warning: ${w}`));
    }
    out.push(batch.renderOutput);
  }
  if (result.unchanged.length > 0) out.push(`already running what ${from} runs, left alone: ${result.unchanged.join(', ')}`);
  const files = result.batches.flatMap((b) => b.targets.map((t) => t.file));
  out.push(
    batched
      ? `${result.batches.length} commit${result.batches.length === 1 ? '' : 's'}, one per batch: push them one at a time (or merge them in order) to roll out batch by batch.`
      : `Review with \`git diff\` (or \`npm run diff -- --base HEAD\`), then commit ${files.length === 1 ? files[0] : 'the environment files'} and rendered/ together.`,
    '',
  );
  return out.join('\n');
}
