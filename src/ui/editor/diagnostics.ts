import { Lab, ScenarioError } from '../../lab/index.ts';

/**
 * What the scenario loader says about a text, as editor diagnostics: `Lab.check` (load, build, run the time-0
 * commands) in a try/catch, its ScenarioError's line and column turned into a character range. The loader
 * stops at the first error, so there is at most one. Pure apart from the check itself; no DOM, so it is tested
 * in Node and reused by any face that wants ranges.
 */

export interface ScenarioDiagnostic {
  /** Offsets into the text, in UTF-16 code units (what CodeMirror and String use); from ≤ to. */
  from: number;
  to: number;
  severity: 'error';
  /** `hosts.rs1.bogus: expected one of the keys ..., got "bogus"` (the file and position are the editor's). */
  message: string;
  /** 1-based, as the loader reported them. */
  line: number;
  column: number;
  /** The field path (`hosts.rs1.interfaces.eth0`), empty for the document as a whole. */
  path: string;
}

/** Longest `got` kept in a diagnostic: a tooltip, not a dump of the file. */
const MAX_GOT = 200;

export function scenarioDiagnostics(text: string, file = 'scenario.yaml'): ScenarioDiagnostic[] {
  try {
    Lab.check(text, file);
    return [];
  } catch (err) {
    if (err instanceof ScenarioError) return [diagnosticOf(text, err)];
    // Not an author's mistake the loader recognises (a bug in the core): still say so where the editor can show
    // it, rather than let the linter die silently.
    const what = err instanceof Error ? err.message : String(err);
    return [{ from: 0, to: Math.min(text.length, lineEnd(text, 0)), severity: 'error', message: `lvs-lab could not check this file: ${what}`, line: 1, column: 1, path: '' }];
  }
}

export function diagnosticOf(text: string, err: ScenarioError): ScenarioDiagnostic {
  const from = offsetOf(text, err.line, err.column);
  const got = err.got === undefined ? '' : `, got ${err.got.length > MAX_GOT ? `${err.got.slice(0, MAX_GOT - 1)}…` : err.got}`;
  return {
    from,
    to: tokenEnd(text, from),
    severity: 'error',
    message: `${err.path === '' ? '(document)' : err.path}: expected ${err.expected}${got}`,
    line: err.line,
    column: err.column,
    path: err.path,
  };
}

/**
 * The offset of a 1-based line and column. Lines end at \n (the loader's YAML line counter and CodeMirror's
 * document both use \n). A position past the end of its line or of the text is clamped to it.
 */
export function offsetOf(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return text.length;
    start = nl + 1;
  }
  return Math.min(start + Math.max(0, column - 1), lineEnd(text, start));
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/**
 * The end of the token at `from`, so the squiggle covers the offending key or value: up to whitespace, a flow
 * bracket or comma, or a `: ` that ends a key. An error at the end of a line or in indentation covers the rest
 * of the line, or nothing on an empty line.
 */
export function tokenEnd(text: string, from: number): number {
  const end = lineEnd(text, from);
  let to = from;
  while (to < end) {
    const c = text[to];
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '[' || c === ']' || c === '{' || c === '}') break;
    if (c === ':' && (to + 1 === end || text[to + 1] === ' ' || text[to + 1] === '\t')) break;
    to++;
  }
  if (to > from) return to;
  // Nothing token-like here (a bracket, indentation): cover the rest of the line, trimmed.
  let e = end;
  while (e > from && /\s/.test(text[e - 1])) e--;
  return Math.max(from, e);
}
