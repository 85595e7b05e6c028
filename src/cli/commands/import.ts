import { writeFileSync } from 'node:fs';
import { formatDiagnostic, importConfig, type ConfigFormat } from '../../lab/index.ts';
import type { CliIo } from '../CliIo.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../exitCodes.ts';
import { fsReason, readScenarioFile, reportError, UserInputError } from '../userInput.ts';

export interface ImportCliOptions {
  format?: ConfigFormat;
  out?: string;
  haresources?: string;
  topology?: string;
  director?: string;
}

/**
 * `lvs-lab import FILE [--format F] [--haresources FILE] [--topology SCENARIO.yaml [--director HOST]]
 * [--out SCENARIO.yaml]`: every diagnostic is printed as
 * `FILE:LINE[:COL]: severity: message [CODE]` on stderr; without errors the generated scenario goes to --out
 * (or stdout). Exit 0 when a scenario was written (warnings allowed), 2 when the file had errors.
 */
export function importCommand(file: string, opts: ImportCliOptions, io: CliIo): number {
  try {
    const text = readScenarioFile(file);
    const haresources = opts.haresources !== undefined ? { text: readScenarioFile(opts.haresources), file: opts.haresources } : undefined;
    const topology = opts.topology !== undefined ? { text: readScenarioFile(opts.topology), file: opts.topology, ...(opts.director !== undefined ? { directorHost: opts.director } : {}) } : undefined;
    const r = importConfig(text, { file, ...(opts.format !== undefined ? { format: opts.format } : {}), ...(haresources ? { haresources } : {}), ...(topology ? { topology } : {}) });
    for (const d of r.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
    if (r.scenarioYaml === undefined) {
      io.err(`lvs-lab import: ${file}: not imported (${r.diagnostics.filter((d) => d.severity === 'error').length} error(s))\n`);
      return EXIT_BAD_INPUT;
    }
    if (opts.out === undefined) io.out(r.scenarioYaml);
    else {
      try {
        writeFileSync(opts.out, r.scenarioYaml);
      } catch (err) {
        throw new UserInputError(`lvs-lab: cannot write ${opts.out}: ${fsReason(err)}`);
      }
      io.out(`${file}: imported as ${r.format}; scenario written to ${opts.out}\n`);
    }
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}
