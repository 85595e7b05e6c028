import { runGenerated } from './runGenerated.ts';
import { corpusFromEnv } from './scenarioGenerator.ts';

/**
 * Prints `INDEX DIGEST` for every scenario of the corpus (DETERMINISM_SEED / DETERMINISM_COUNT as in
 * scenarioGenerator.ts), one line each: the determinism test runs this in a separate Node process and compares
 * its lines with the digests it computed itself, so "two Node runs" are two processes, not only two Labs.
 * `node --import tsx test/determinism/printDigests.ts`
 */
for (const s of corpusFromEnv().scenarios) {
  let line: string;
  try {
    line = runGenerated(s).digest();
  } catch (e) {
    line = `error ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  process.stdout.write(`${s.index} ${line}\n`);
}
