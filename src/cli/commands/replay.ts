import { compareReplay, parseExperiment, replayExperiment } from '../../lab/index.ts';
import type { CliIo } from '../CliIo.ts';
import { EXIT_EXPECTATION_FAILED, EXIT_OK } from '../exitCodes.ts';
import { readScenarioFile, reportError } from '../userInput.ts';

/**
 * `lvs-lab replay EXPERIMENT.json [--compare GOLDEN.jsonl]`: runs an IPVS oracle experiment through the
 * simulation and prints JSON lines in the golden files' format; with --compare, checks every decision, count and
 * `ipvsadm -L -n` listing against a real kernel's recording instead and prints what differs (exit 1 if anything).
 */
export function replayCommand(file: string, opts: { seed?: number; compare?: string }, io: CliIo): number {
  try {
    const experiment = parseExperiment(readScenarioFile(file), file);
    const records = replayExperiment(experiment, { seed: opts.seed, file });
    if (opts.compare === undefined) {
      for (const r of records) io.out(`${JSON.stringify(r)}\n`);
      return EXIT_OK;
    }
    const c = compareReplay(records, readScenarioFile(opts.compare));
    for (const m of c.mismatches) io.out(`step ${m.step}: ${m.what}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)}\n`);
    const bad = (kind: string) => c.mismatches.filter((m) => m.what === kind).length;
    io.out(
      `${experiment.name}: decisions ${c.decisions - bad('decision')}/${c.decisions}, counts ${c.counts - bad('counts')}/${c.counts}, ` +
        `listings ${c.lists - bad('list')}/${c.lists} match\n`,
    );
    return c.mismatches.length === 0 ? EXIT_OK : EXIT_EXPECTATION_FAILED;
  } catch (err) {
    return reportError(err, io.err);
  }
}
