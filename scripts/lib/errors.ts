// Input errors that point at file:line:column and the field, with what was expected.
export interface InputErrorDetail {
  file: string;
  line?: number;
  column?: number;
  /** Dotted field path, e.g. `app.php-fpm.hpa.maxReplicas`. */
  field?: string;
  message: string;
}

/** A user mistake in an input file; `render` prints it and leaves rendered/ untouched. */
export class InputError extends Error {
  readonly details: InputErrorDetail[];

  constructor(details: InputErrorDetail[]) {
    super(details.map(formatDetail).join('\n'));
    this.name = 'InputError';
    this.details = details;
  }
}

/** `environments/prod.yaml:12:5 app.php-fpm.hpa.maxReplicas: must be ≥ minReplicas`. */
export function formatDetail(d: InputErrorDetail): string {
  const where = d.line ? `${d.file}:${d.line}:${d.column ?? 1}` : d.file;
  return d.field ? `${where} ${d.field}: ${d.message}` : `${where}: ${d.message}`;
}

/** Renders a zod/JSON path as the dotted form users see in their YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
