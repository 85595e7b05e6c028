import type { CommandResult } from '../admin/index.ts';
import { ScenarioError } from './ScenarioError.ts';
import type { ScenarioSpec } from './schema.ts';

/** One line of an exercise answer: `HOST: COMMAND`. */
export interface AnswerLine {
  host: string;
  run: string;
  /** 1-based line in the answer file. */
  line: number;
}

/** An answer line and what its command did (absent when the run ended before it finished). */
export interface AnswerOutcome extends AnswerLine {
  result?: CommandResult;
}

/** Beyond this an answer file is not an answer (and a pasted log would take long to run). */
const MAX_ANSWER_LINES = 1000;

/**
 * An answer file: one `HOST: COMMAND` per line, applied at time 0 after the scenario's own commands; blank
 * lines and lines starting with `#` are ignored. A line that is not of that form, or names a host the
 * scenario does not have, is a ScenarioError at FILE:LINE:COLUMN (bad input, not a wrong answer). Whether
 * the command itself is right is for the run to tell.
 */
export function parseAnswer(text: string, file: string, spec: ScenarioSpec): AnswerLine[] {
  const hosts = spec.hosts.map((h) => h.name);
  const out: AnswerLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const pos = { line: i + 1, column: raw.length - raw.trimStart().length + 1 };
    const m = /^([^\s:]+):\s*(.*)$/.exec(trimmed);
    if (m === null || m[2].trim() === '') {
      throw new ScenarioError(file, pos, `answer[${i + 1}]`, 'a line HOST: COMMAND (e.g. rs1: sysctl -w net.ipv4.conf.all.arp_ignore=1)', JSON.stringify(trimmed));
    }
    if (!hosts.includes(m[1])) {
      const shown = hosts.length > 8 ? `${hosts.slice(0, 8).join(', ')}, …` : hosts.join(', ');
      throw new ScenarioError(file, pos, `answer[${i + 1}]`, `a host of the scenario: ${shown}`, JSON.stringify(m[1]));
    }
    out.push({ host: m[1], run: m[2].trim(), line: i + 1 });
    if (out.length > MAX_ANSWER_LINES) throw new ScenarioError(file, pos, `answer[${i + 1}]`, `at most ${MAX_ANSWER_LINES} commands`, 'more');
  }
  if (out.length === 0) throw new ScenarioError(file, { line: 1, column: 1 }, 'answer', 'at least one line HOST: COMMAND', 'none');
  return out;
}
