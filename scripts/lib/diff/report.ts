// Builds the report from two rendered trees: compare, group per Application, narrow to one environment.
import { UsageError } from '../cli.ts';
import { compareTrees, type FileMap } from './compare.ts';
import { environmentsOf, groupChanges, onlyEnvironment, type DiffReport, type Side } from './group.ts';

export interface ReportInput {
  base: Side;
  head: Side;
  baseFiles: FileMap;
  headFiles: FileMap;
  /** Report only this environment (plus the shared files); every environment when absent. */
  env?: string | undefined;
  notes: string[];
  command: string;
}

export function buildReport(input: ReportInput): DiffReport {
  const groups = groupChanges(compareTrees(input.baseFiles, input.headFiles));
  if (input.env === undefined) return { base: input.base, head: input.head, groups, notes: input.notes, command: input.command };
  const known = environmentsOf([...input.baseFiles.keys(), ...input.headFiles.keys()]);
  if (!known.includes(input.env)) throw new UsageError(`--env ${input.env}: no such environment on either side; known environments: ${known.join(', ') || '(none)'}`);
  const scope = `only environment ${input.env} is shown, with the files every environment shares; drop --env to see all`;
  return { base: input.base, head: input.head, groups: onlyEnvironment(groups, input.env), notes: [...input.notes, scope], command: input.command };
}
