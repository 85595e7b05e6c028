import type { Lab, LabOptions } from '../../lab/index.ts';
import { LabDriver, type JournalEntry } from '../machines/labDriver.ts';

/**
 * A second run of the lesson, kept exactly at the shown time, for the host panel. The playback's lab runs up
 * to 20 ms ahead of the picture (so that frames on a cable have their arrival in the trace), and in slow
 * motion 20 ms is a long way: an ARP reply still on its cable in the picture would already be in the router's
 * cache. This run is the same text, seed and typed commands (replayed at their times, as LabDriver does), run
 * only as far as the picture; going back rebuilds it. It is read through Lab.queries only and never changes
 * the playback's trace. It costs a second simulation, so the page asks for it only while the host tab shows.
 */
export class ShownState {
  private driver: LabDriver | undefined;
  /** The journal entries this run has typed, in order (the playback's own objects, compared by identity). */
  private typed: JournalEntry[] = [];

  constructor(
    private readonly text: string,
    private readonly options: LabOptions,
    private readonly journal: () => readonly JournalEntry[],
  ) {}

  /** The lab at simulated time t, with every command typed at or before t. */
  at(t: number): Lab {
    const journal = this.journal();
    let d = this.driver;
    // Back in time, or a command typed at a time this run has already passed: start again.
    const next = journal[this.typed.length];
    if (d === undefined || t < d.now() || this.typed.some((e, i) => journal[i] !== e) || (next !== undefined && next.t < d.now())) {
      d = this.driver = new LabDriver(this.text, this.options);
      this.typed = [];
    }
    while (this.typed.length < journal.length && journal[this.typed.length].t <= t) {
      const e = journal[this.typed.length];
      d.runTo(e.t);
      d.runCommand(e.host, e.line);
      this.typed.push(e);
    }
    d.runTo(t);
    return d.current;
  }
}
