/**
 * The one error a scenario author can cause: it names the file, the 1-based line and column of the offending
 * key or value, the field path (`hosts.rs1.interfaces.eth0.segment`) and what was expected there. The faces
 * print `message` as it is; `lvs-lab check` and `lvs-lab run` exit 2 on it.
 */

/** A 1-based line and column in a scenario file (columns count UTF-16 code units, as editors mostly do). */
export interface SourcePos {
  line: number;
  column: number;
}

/** Written in the message where an error belongs to the file as a whole rather than to a field. */
const DOCUMENT_PATH = '(document)';

/** Longest rendering of an offending value kept in a message, so one line stays one line of a terminal. */
const MAX_GOT_CHARS = 80;

export class ScenarioError extends Error {
  override readonly name: string = 'ScenarioError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted field path with `[i]` for list items; empty when the error is about the file as a whole. */
  readonly path: string;
  readonly expected: string;
  readonly got: string | undefined;

  constructor(file: string, pos: SourcePos, path: string, expected: string, got?: string) {
    const where = `${file}:${pos.line}:${pos.column}`;
    const tail = got === undefined ? '' : `, got ${clip(got)}`;
    super(oneLine(`${where}: ${path === '' ? DOCUMENT_PATH : path}: expected ${expected}${tail}`));
    this.file = file;
    this.line = pos.line;
    this.column = pos.column;
    this.path = path;
    this.expected = expected;
    this.got = got;
  }

  get pos(): SourcePos {
    return { line: this.line, column: this.column };
  }
}

/**
 * For code that reports a problem found after loading (the scenario builder: a `commands` entry that fails),
 * at a position the loader recorded in the spec.
 */
export function scenarioErrorAt(file: string, pos: SourcePos, path: string, expected: string, got?: string): ScenarioError {
  return new ScenarioError(file, pos, path, expected, got);
}

function clip(text: string): string {
  return text.length <= MAX_GOT_CHARS ? text : `${text.slice(0, MAX_GOT_CHARS - 1)}…`;
}

/** The message is one line whatever a file name or a value contains. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}
