import { readFileSync } from 'node:fs';
import { ScenarioError } from '../lab/index.ts';
import { EXIT_BAD_INPUT, EXIT_INTERNAL } from './exitCodes.ts';

/** A problem with what the user gave us (a path, an option value): printed as one line, exit 2, no stack. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

export function readScenarioFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot read ${file}: ${fsReason(err)}`);
  }
}

/** `ENOENT: no such file or directory` without the path Node repeats after it. */
export function fsReason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const text = err.message.replace(/,\s*\w+\s+'.*'$/, '');
    return code !== undefined && !text.startsWith(code) ? `${code}: ${text}` : text;
  }
  return String(err);
}

/**
 * Turns an error into its printout and exit status. Scenario and input errors are the user's: their message is
 * the whole story (a ScenarioError's is `FILE:LINE:COLUMN: path: expected ...`). Anything else is a bug in
 * lvs-lab, reported with its stack so it can be fixed.
 */
export function reportError(err: unknown, write: (text: string) => void): number {
  if (err instanceof ScenarioError || err instanceof UserInputError) {
    write(`${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  write(`lvs-lab: internal error (please report it with the scenario file):\n${detail}\n`);
  return EXIT_INTERNAL;
}
