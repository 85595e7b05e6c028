import { Priority } from '../sim/index.ts';
import type { TraceEvent, TraceSink } from '../trace/index.ts';
import { matchesFilter } from './expectations.ts';
import type { TraceFilter } from './schema.ts';
import type { World } from './World.ts';

/**
 * `when:` conditions of timeline entries and narration steps: each fires once, at the first trace event its
 * filter matches, by scheduling its action at the same simulated instant (admin priority, so before packet
 * events of that instant). The action never runs inside the tracer's delivery of the event that matched: that
 * event is complete, and every sink has it, before anything it triggers happens.
 *
 * One sink watches for all of them and stays attached (detaching a sink while the tracer delivers to it would
 * make the next sink miss that event); conditions that fired are simply skipped.
 */
export class ConditionWatcher implements TraceSink {
  private readonly pending: Array<{ filter: TraceFilter; action: () => void; fired: boolean }> = [];
  private attached = false;

  constructor(private readonly world: World) {}

  /** Runs `action` once, right after the first event matching `filter`. */
  onFirst(filter: TraceFilter, action: () => void): void {
    this.pending.push({ filter, action, fired: false });
    if (!this.attached) {
      this.world.tracer.attach(this);
      this.attached = true;
    }
  }

  write(ev: TraceEvent): void {
    for (const c of this.pending) {
      if (c.fired || !matchesFilter(ev, c.filter)) continue;
      c.fired = true;
      this.world.sim.schedule(0, c.action, Priority.admin);
    }
  }
}
