import type { RandomStream, SimTime } from '../../sim/index.ts';
import type { Frame } from '../../wire/index.ts';
import type { NetContext } from '../NetContext.ts';
import type { Port } from './Port.ts';
import type { Switch, WireFrame } from './Switch.ts';
import { TxQueue } from './TxQueue.ts';

export interface CableParams {
  bandwidth: number; // bit/s
  latency: SimTime; // one-way propagation
  queue: number; // frames waiting per direction
}

/**
 * The cable between one interface and its switch: a TxQueue in each direction. The interface side sees it as
 * a Port; the switch side calls `fromSwitch`. Unplugging it (`setCarrier(false)`) drops what is queued and
 * everything offered until it is plugged in again, each with reason `link-down`. With a loss probability set
 * (`setLoss`, a scenario timeline's `loss:`), each frame that reaches either end of the cable is lost with that
 * probability, drawn from a named seeded stream, and traced with reason `link-loss`.
 */
export class Cable implements Port {
  private readonly up: TxQueue<InFlight>; // interface → switch
  private readonly down: TxQueue<WireFrame>; // switch → interface
  private plugged = true;
  private loss = 0;
  private lossStream: RandomStream | undefined;
  private txFid = 0;
  /** Called with each frame the interface starts sending (the `tx` moment) and its transmission number. */
  onTx: (f: Frame, fid: number) => void = () => {};
  /** Called when a frame arrives at the interface. */
  onRx: (wf: WireFrame) => void = () => {};
  /** Called for a frame this cable discards (queue full toward the interface, or unplugged). */
  onDrop: (wf: WireFrame, reason: 'link-queue-full' | 'link-down' | 'link-loss') => void = () => {};

  constructor(
    ctx: NetContext,
    private readonly sw: Switch,
    readonly label: string,
    params: CableParams,
  ) {
    // A frame gets its transmission number when it starts to leave, and carries it to every end.
    this.up = new TxQueue<InFlight>(
      ctx.sim,
      params.bandwidth,
      params.latency,
      params.queue,
      (wf) => {
        const fid = sw.frameNumber();
        wf.fid = fid;
        this.txFid = fid;
        this.onTx(wf.frame, fid);
      },
      (wf) => {
        if (!this.plugged) sw.dropAtSwitch(wf, 'link-down', `cable of ${label} unplugged`);
        else if (this.lost()) sw.dropAtSwitch(wf, 'link-loss', `lost on the cable of ${label}`);
        else sw.forward(wf, this);
      },
    );
    this.down = new TxQueue<WireFrame>(
      ctx.sim,
      params.bandwidth,
      params.latency,
      params.queue,
      () => {},
      (wf) => {
        if (!this.plugged) this.onDrop(wf, 'link-down');
        else if (this.lost()) this.onDrop(wf, 'link-loss');
        else this.onRx(wf);
      },
    );
    sw.attach(this);
  }

  /** A frame the switch hands to this cable toward the interface. */
  fromSwitch(wf: WireFrame): void {
    if (!this.plugged) {
      this.onDrop(wf, 'link-down');
      return;
    }
    if (!this.down.enqueue(wf)) this.sw.dropAtSwitch(wf, 'link-queue-full', `port toward ${this.label} full`);
  }

  get carrier(): boolean {
    return this.plugged;
  }

  /** Transmission number of the frame most recently started (valid inside onTx). */
  get lastFid(): number {
    return this.txFid;
  }

  send(frame: Frame): boolean {
    if (!this.plugged) return false;
    return this.up.enqueue({ frame, fid: 0 });
  }

  setCarrier(on: boolean): void {
    this.plugged = on;
  }

  /** Loses each frame arriving at either end with probability `p` (0 turns loss off), drawing from `stream`. */
  setLoss(p: number, stream: RandomStream): void {
    this.loss = p;
    this.lossStream = stream;
  }

  get lossProbability(): number {
    return this.loss;
  }

  /** One draw per frame only while loss is on, so turning it on never shifts another consumer's numbers. */
  private lost(): boolean {
    return this.loss > 0 && this.lossStream !== undefined && this.lossStream.next() < this.loss;
  }
}

/** A frame on its way to the switch: its transmission number is set when it starts to leave. */
interface InFlight {
  readonly frame: Frame;
  fid: number;
}
