import { Lab } from '../../lab/index.ts';
import { EXIT_OK } from '../exitCodes.ts';
import { readScenarioFile, reportError } from '../userInput.ts';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * `lvs-lab check FILE`: parses the scenario, builds it and runs its time-0 configuration commands without
 * simulating traffic, and checks the syntax of every other command (Lab.check). Prints one line either way.
 */
export function checkCommand(file: string, io: CliIo): number {
  try {
    const spec = Lab.check(readScenarioFile(file), file);
    const n = (count: number, what: string): string => `${count} ${what}${count === 1 ? '' : 's'}`;
    io.out(
      `${file}: ok: ${JSON.stringify(spec.name)}, ${n(spec.hosts.length, 'host')}, ${n(spec.segments.length, 'segment')}, ` +
        `${n(spec.timeline.length, 'timeline entry')}, ${n(spec.expect.length, 'expectation')}\n`,
    );
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}
