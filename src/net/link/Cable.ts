import type { SimTime } from '../../sim/index.ts';
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
 * everything offered until it is plugged in again, each with reason `link-down`.
 */
export class Cable implements Port {
  private readonly up: TxQueue<InFlight>; // interface → switch
  private readonly down: TxQueue<WireFrame>; // switch → interface
  private plugged = true;
  private txFid = 0;
  /** Called with each frame the interface starts sending (the `tx` moment) and its transmission number. */
  onTx: (f: Frame, fid: number) => void = () => {};
  /** Called when a frame arrives at the interface. */
  onRx: (wf: WireFrame) => void = () => {};
  /** Called for a frame this cable discards (queue full toward the interface, or unplugged). */
  onDrop: (wf: WireFrame, reason: 'link-queue-full' | 'link-down') => void = () => {};

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
}

/** A frame on its way to the switch: its transmission number is set when it starts to leave. */
interface InFlight {
  readonly frame: Frame;
  fid: number;
}
