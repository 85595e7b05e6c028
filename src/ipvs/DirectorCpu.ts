import { US, type SimTime, type Simulator } from '../sim/index.ts';

/** A director's packet-processing cost: CPU time per packet and per byte, and how many packets may wait. */
export interface CpuCost {
  /** ns of CPU per packet IPVS rewrites or transmits. */
  perPacket: SimTime;
  /** ns of CPU per byte of such a packet (may be fractional; the total is rounded to whole ns). */
  perByte: number;
  /** Packets that may wait for the CPU (the backlog, like netdev_max_backlog); one more is dropped. */
  backlog: number;
}

/**
 * The default: about 60 µs per rewritten packet, the figure the LVS-NAT tutorial gives for a director of its
 * day, no per-byte cost, and Linux's default netdev_max_backlog of 1000.
 */
export const DEFAULT_CPU_COST: CpuCost = { perPacket: 60 * US, perByte: 0, backlog: 1000 };

/**
 * One CPU that handles the packets IPVS works on, one after another: each takes `perPacket + perByte × length`,
 * and while the CPU is busy packets wait in a finite backlog. This is what makes the NAT director a bottleneck
 * in the model: with NAT both directions of every connection take CPU time here, with DR and TUN only the
 * requests do. Work finishes in arrival order.
 */
export class DirectorCpu {
  cost: CpuCost;
  private busyUntil: SimTime = 0;
  private waiting = 0;
  /** Packets processed and packets refused, for the summary. */
  processed = 0;
  refused = 0;
  /** CPU time of every packet accepted so far, including work still scheduled (see busyTime). */
  private committed: SimTime = 0;

  constructor(
    private readonly sim: Simulator,
    cost: CpuCost = DEFAULT_CPU_COST,
  ) {
    this.cost = cost;
  }

  /** Packets waiting or in service now. */
  get queued(): number {
    return this.waiting;
  }

  /** ns of CPU spent on packets up to now: the work accepted minus what is still ahead (for utilisation). */
  busyTime(): SimTime {
    return this.committed - Math.max(0, this.busyUntil - this.sim.now());
  }

  /**
   * The case of `submit` where the work runs at once (a free CPU with zero cost): counts the packet as processed
   * and returns true, and the caller does the work now; false: call `submit`. Spares the hot path a closure.
   */
  takesAtOnce(bytes: number): boolean {
    if (this.waiting !== 0 || this.cost.perPacket + Math.round(this.cost.perByte * bytes) !== 0) return false;
    this.processed++;
    return true;
  }

  /**
   * Runs `work` once the CPU has spent this packet's cost on it; false (and nothing runs) when the backlog is full.
   * A free CPU with zero cost runs the work at once.
   */
  submit(bytes: number, work: () => void): boolean {
    const cost = this.cost.perPacket + Math.round(this.cost.perByte * bytes);
    const now = this.sim.now();
    if (cost === 0 && this.waiting === 0) {
      this.processed++;
      work();
      return true;
    }
    if (this.waiting >= this.cost.backlog) {
      this.refused++;
      return false;
    }
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + cost;
    this.committed += cost;
    this.waiting++;
    this.sim.scheduleAt(this.busyUntil, () => {
      this.waiting--;
      this.processed++;
      work();
    });
    return true;
  }
}
