import type { RandomStream, Simulator } from '../../sim/index.ts';
import { sample, type Distribution } from '../Distribution.ts';

/** How much a real server can do at once, and how fast. */
export interface CapacitySpec {
  /** Requests served at the same time (worker processes/threads); 0 = unlimited. */
  readonly workers: number;
  /** Requests that may wait for a worker; one more is refused. */
  readonly queue: number;
  /** Work per request on a speed-1 server, in ns. */
  readonly serviceTime: Distribution;
  /** Relative speed: a speed-2 server does the same work in half the time (unequal real servers). */
  readonly speed: number;
}

/** A server that answers at once, however many ask: the lab's servers before capacity was modelled. */
export const UNLIMITED: CapacitySpec = { workers: 0, queue: 0, serviceTime: { kind: 'fixed', value: 0 }, speed: 1 };

export type Admission = 'started' | 'queued' | 'refused';

/**
 * A multi-server queue (M/G/c/K in queueing terms, when arrivals are Poisson): `workers` slots, a FIFO of at
 * most `queue` waiting requests, and a service time drawn per request from the server's named stream and
 * divided by its speed (and multiplied by the host's slow-down, when a timeline slows it). A request that finds every slot busy and the queue full is refused at once; one that
 * waits is answered late. With zero service time the work runs synchronously, so a server without a capacity
 * model answers exactly when it did before capacity existed.
 */
export class CapacityModel {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];
  served = 0;
  refused = 0;
  /** The most requests ever waiting at once. */
  maxQueued = 0;

  constructor(
    private readonly sim: Simulator,
    readonly spec: CapacitySpec,
    private readonly stream: RandomStream,
    /** The host's current slow-down (a timeline `slow:` event, src/apps/slowdown.ts): work × factor. */
    private readonly slowdown: () => number = () => 1,
  ) {
    if (!(spec.speed > 0)) throw new RangeError(`server speed must be above 0, got ${spec.speed}`);
  }

  get inService(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `answer` when a worker has done this request's work; 'refused' (and nothing runs) when full. */
  submit(answer: () => void): Admission {
    if (this.spec.workers === 0 || this.busy < this.spec.workers) {
      this.begin(answer);
      return 'started';
    }
    if (this.waiting.length >= this.spec.queue) {
      this.refused++;
      return 'refused';
    }
    this.waiting.push(answer);
    this.maxQueued = Math.max(this.maxQueued, this.waiting.length);
    return 'queued';
  }

  private begin(answer: () => void): void {
    const work = Math.round((sample(this.spec.serviceTime, this.stream) / this.spec.speed) * this.slowdown());
    if (work === 0) {
      this.served++;
      answer();
      return;
    }
    this.busy++;
    this.sim.schedule(work, () => {
      this.busy--;
      this.served++;
      answer();
      const next = this.waiting.shift();
      if (next) this.begin(next);
    });
  }
}
