import { Lab, type ResourceLimits } from '../../lab/index.ts';
import type { CliIo } from '../CliIo.ts';
import { EXIT_OK } from '../exitCodes.ts';
import { readScenarioFile, reportError } from '../userInput.ts';

/**
 * `lvs-lab check FILE`: parses the scenario, builds it and runs its time-0 configuration commands without
 * simulating traffic, and checks the syntax of every other command (Lab.check). Prints one line either way.
 */
export function checkCommand(file: string, io: CliIo, limits: Partial<ResourceLimits> = {}): number {
  try {
    const spec = Lab.check(readScenarioFile(file, limits.maxFileSize), file, limits);
    const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
    io.out(
      `${file}: ok: ${JSON.stringify(spec.name)}, ${n(spec.hosts.length, 'host')}, ${n(spec.segments.length, 'segment')}, ` +
        `${n(spec.timeline.length, 'timeline entry', 'timeline entries')}, ${n(spec.expect.length, 'expectation')}` +
        (spec.narration.length > 0 ? `, ${n(spec.narration.length, 'narration step')}` : '') +
        (spec.exercise !== undefined ? `; an exercise with ${n(spec.exercise.goal.length, 'goal expectation')} and ${n(spec.exercise.hints.length, 'hint')}` : '') +
        '\n',
    );
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}
