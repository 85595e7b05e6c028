import { Lab, markupToPlainText, parseMarkup, type ResourceLimits } from '../../lab/index.ts';
import type { CliIo } from '../CliIo.ts';
import { EXIT_EXPECTATION_FAILED, EXIT_OK } from '../exitCodes.ts';
import { formatExpectations } from '../output/runReport.ts';
import { readScenarioFile, reportError, UserInputError } from '../userInput.ts';

export interface CheckExerciseOptions {
  /** The answer file: lines of `HOST: COMMAND`. */
  answer: string;
  seed?: number;
  /** Resource limits from the --max-* flags. */
  limits?: Partial<ResourceLimits>;
}

/**
 * `lvs-lab check-exercise FILE --answer ANSWER.txt`: runs the exercise with the answer's commands applied at
 * time 0 after the scenario's own, then checks the exercise's goal. Prints the verdict, each answer command
 * with its exit status, and every goal expectation with what was expected and what happened. Exit 0 when the
 * goal holds, 1 when it does not, 2 for bad input (not an exercise, an unreadable file, a malformed answer).
 */
export function checkExerciseCommand(file: string, opts: CheckExerciseOptions, io: CliIo): number {
  try {
    const text = readScenarioFile(file, opts.limits?.maxFileSize);
    const answerText = readScenarioFile(opts.answer, opts.limits?.maxFileSize);
    const lab = Lab.fromText(text, { ...opts.limits, file, seed: opts.seed, answer: { text: answerText, file: opts.answer } });
    const exercise = lab.spec.exercise;
    if (exercise === undefined) throw new UserInputError(`lvs-lab: ${file} is not an exercise (it has no exercise: key)`);
    lab.run();

    const goal = lab.expectations().filter((e) => e.goal);
    const pass = goal.every((e) => e.pass);
    const unmet = goal.filter((e) => !e.pass).length;
    let out = `${file}: ${pass ? 'PASS' : 'FAIL'}: ${lab.name}\n`;
    out += `task: ${markupToPlainText(parseMarkup(exercise.task))}\n`;
    out += `\nanswer (${opts.answer}):\n`;
    for (const a of lab.answerOutcomes()) {
      const r = a.result;
      const status = r === undefined ? 'had not finished when the run ended' : `exit ${r.exit}`;
      const first = r !== undefined && r.exit !== 0 ? (r.output.split('\n').find((l) => l.trim() !== '') ?? '') : '';
      out += `  ${opts.answer}:${a.line}  ${a.host}: ${a.run}  → ${status}${first !== '' ? `: ${first}` : ''}\n`;
    }
    out += `\ngoal: ${pass ? 'met' : `not met (${unmet} of ${goal.length} expectations failed)`}\n`;
    // Every result here is a goal's: the run report's "(exercise goal)" tag would only repeat that.
    out += formatExpectations(file, goal.map(({ goal: _goal, ...r }) => r)).replace(/^expectations: [^\n]*\n/, '');
    io.out(out);
    return pass ? EXIT_OK : EXIT_EXPECTATION_FAILED;
  } catch (err) {
    return reportError(err, io.err);
  }
}
