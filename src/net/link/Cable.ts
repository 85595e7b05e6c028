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
  private readonly up: TxQueue; // interface → switch
  private readonly down: TxQueue; // switch → interface
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
    const pending: number[] = [];
    this.up = new TxQueue(
      ctx.sim,
      params.bandwidth,
      params.latency,
      params.queue,
      (f) => {
        const fid = sw.frameNumber();
        pending.push(fid);
        this.txFid = fid;
        this.onTx(f, fid);
      },
      (f) => {
        const fid = pending.shift()!;
        const wf = { frame: f, fid };
        if (!this.plugged) sw.dropAtSwitch(wf, 'link-down', `cable of ${label} unplugged`);
        else sw.forward(wf, this);
      },
    );
    const fids: number[] = [];
    this.down = new TxQueue(
      ctx.sim,
      params.bandwidth,
      params.latency,
      params.queue,
      () => {},
      (f) => {
        const wf = { frame: f, fid: fids.shift()! };
        if (!this.plugged) this.onDrop(wf, 'link-down');
        else this.onRx(wf);
      },
    );
    this.fromSwitch = (wf: WireFrame) => {
      if (!this.plugged) {
        this.onDrop(wf, 'link-down');
        return;
      }
      if (this.down.enqueue(wf.frame)) fids.push(wf.fid);
      else sw.dropAtSwitch(wf, 'link-queue-full', `port toward ${label} full`);
    };
    sw.attach(this);
  }

  /** A frame the switch hands to this cable toward the interface. */
  readonly fromSwitch: (wf: WireFrame) => void;

  get carrier(): boolean {
    return this.plugged;
  }

  /** Transmission number of the frame most recently started (valid inside onTx). */
  get lastFid(): number {
    return this.txFid;
  }

  send(frame: Frame): boolean {
    if (!this.plugged) return false;
    return this.up.enqueue(frame);
  }

  setCarrier(on: boolean): void {
    this.plugged = on;
  }
}
