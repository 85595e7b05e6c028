import { writeFileSync } from 'node:fs';
import { ExportError, exportScenario, type ExportFormat } from '../../lab/index.ts';
import type { CliIo } from '../CliIo.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../exitCodes.ts';
import { fsReason, readScenarioFile, reportError, UserInputError } from '../userInput.ts';

export interface ExportCliOptions {
  format: ExportFormat;
  host?: string;
  out?: string;
}

/**
 * `lvs-lab export SCENARIO.yaml --format keepalived|ipvsadm-save [--host NAME] [--out FILE]`: the director's
 * IPVS table after the scenario's time-0 commands, as a configuration file (to --out, or stdout).
 */
export function exportCommand(file: string, opts: ExportCliOptions, io: CliIo): number {
  try {
    const text = exportScenario(readScenarioFile(file), { file, format: opts.format, ...(opts.host !== undefined ? { host: opts.host } : {}) });
    if (opts.out === undefined) io.out(text);
    else {
      try {
        writeFileSync(opts.out, text);
      } catch (err) {
        throw new UserInputError(`lvs-lab: cannot write ${opts.out}: ${fsReason(err)}`);
      }
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ExportError) {
      io.err(`${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    return reportError(err, io.err);
  }
}
