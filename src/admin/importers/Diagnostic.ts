/**
 * What every importer reports (reference/config-formats.md §0): a problem at a file position, with a stable code
 * and the message the real tool prints where there is one. Importers collect all of them and build a model only
 * when none is an error; warnings (legacy keywords, ignored options) never block.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** The file as the user named it (after `include`, the included file's own name). */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** 1-based column of the offending word, where known. */
  column?: number;
  severity: Severity;
  /** Stable identifier, e.g. KA_UNKNOWN_KEYWORD, LD_BAD_VALUE, SH_UNSUPPORTED. */
  code: string;
  message: string;
}

/** An importer's answer: the model when there were no errors, and every diagnostic either way. */
export interface ImportResult<T> {
  model: T | undefined;
  diagnostics: Diagnostic[];
}

/** `FILE:LINE[:COLUMN]: severity: message [CODE]` — the one-line form the CLI prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const pos = d.column !== undefined ? `${d.file}:${d.line}:${d.column}` : `${d.file}:${d.line}`;
  return `${pos}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Collects diagnostics for one file. */
export class DiagnosticList {
  readonly items: Diagnostic[] = [];
  constructor(readonly file: string) {}

  error(line: number, code: string, message: string, column?: number): void {
    this.items.push(column === undefined ? { file: this.file, line, severity: 'error', code, message } : { file: this.file, line, column, severity: 'error', code, message });
  }

  warning(line: number, code: string, message: string, column?: number): void {
    this.items.push(column === undefined ? { file: this.file, line, severity: 'warning', code, message } : { file: this.file, line, column, severity: 'warning', code, message });
  }

  result<T>(model: T): ImportResult<T> {
    return { model: hasErrors(this.items) ? undefined : model, diagnostics: this.items };
  }
}
