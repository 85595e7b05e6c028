import type { ExpectationResult, LabOptions } from '../../lab/index.ts';
import { LabDriver, type JournalEntry } from '../machines/labDriver.ts';

/**
 * The checker's verdict on what the student did: a fresh run of the same text and seed, with the commands the
 * student typed replayed at the simulated times they were typed (exactly as LabDriver re-simulates), run to the
 * scenario's end, then every expectation and goal evaluated over its trace. The lab on screen is not touched:
 * checking does not move the playback or add to its trace.
 */
export function checkWithJournal(text: string, options: LabOptions, journal: readonly JournalEntry[]): ExpectationResult[] {
  const d = new LabDriver(text, options);
  for (const e of journal) {
    d.runTo(e.t);
    d.runCommand(e.host, e.line);
  }
  d.runTo(d.duration);
  return d.current.expectations();
}
