import type { EventHandle, Simulator } from './Simulator.ts';
import type { SimTime } from './Time.ts';

/**
 * A restartable one-shot timer bound to a simulator: the kernel's `mod_timer`/`del_timer` pair. Arming it
 * again replaces the pending expiry. Used for ARP retransmits, neighbour state changes, TCP retransmission.
 */
export class Timer {
  private handle: EventHandle | undefined;
  private expiry: SimTime | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly onExpire: () => void,
  ) {}

  /** The expiry (called through `fireTimer`, one function shared by every timer: arming allocates nothing). */
  fire(): void {
    this.handle = undefined;
    this.expiry = undefined;
    this.onExpire();
  }

  /** Arms (or re-arms) the timer to fire at absolute time `at`. */
  setAt(at: SimTime): void {
    this.cancel();
    this.expiry = at;
    this.handle = this.sim.scheduleAtWith(at, fireTimer, this);
  }

  /** Arms (or re-arms) the timer to fire `delay` ns from now. */
  set(delay: SimTime): void {
    this.setAt(this.sim.now() + delay);
  }

  cancel(): void {
    if (this.handle !== undefined) this.sim.cancel(this.handle);
    this.handle = undefined;
    this.expiry = undefined;
  }

  get pending(): boolean {
    return this.handle !== undefined;
  }

  /** Absolute expiry time while armed. */
  get expiresAt(): SimTime | undefined {
    return this.expiry;
  }
}

function fireTimer(t: Timer): void {
  t.fire();
}
