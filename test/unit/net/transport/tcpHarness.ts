/**
 * Two TcpEndpoints joined by a fake channel: a fixed one-way delay and a drop decision per segment. The
 * "server" side plays a tiny socket layer: a SYN with no live endpoint is accepted (when listening), anything
 * else that finds no live endpoint is answered with resetFor(), as the host's demultiplexer would.
 */
import { MS, Simulator, type SimTime } from '../../../../src/sim/index.ts';
import { TcpFlag, type Payload, type TcpSegment } from '../../../../src/wire/index.ts';
import {
  TcpEndpoint,
  resetFor,
  type TcpCloseReason,
  type TcpEndpointCallbacks,
  type TcpEndpointEnv,
  type TcpState,
  type TcpTunables,
} from '../../../../src/net/transport/TcpEndpoint.ts';

export type Dir = 'c2s' | 's2c';

export interface WireEntry {
  readonly t: SimTime;
  readonly dir: Dir;
  readonly seg: TcpSegment;
  readonly dropped: boolean;
}

/** What one endpoint's application saw. */
export class AppLog {
  readonly data: Payload[] = [];
  readonly states: { t: SimTime; from: TcpState; to: TcpState }[] = [];
  establishedAt?: SimTime;
  remoteClosedAt?: SimTime;
  closed?: { reason: TcpCloseReason; t: SimTime };

  get bytesReceived(): number {
    return this.data.reduce((n, p) => n + p.length, 0);
  }

  /** The delivered bytes, concatenated (length-only payloads count as zeros). */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.bytesReceived);
    let at = 0;
    for (const p of this.data) {
      if (p.bytes) out.set(p.bytes, at);
      at += p.length;
    }
    return out;
  }

  stateNames(): string[] {
    return this.states.map((s) => s.to);
  }
}

/** Application behaviour: called after the harness has logged the event. */
export interface AppHooks {
  onEstablished?(ep: TcpEndpoint, log: AppLog): void;
  onData?(ep: TcpEndpoint, data: Payload, log: AppLog): void;
  onRemoteClose?(ep: TcpEndpoint, log: AppLog): void;
  onClosed?(ep: TcpEndpoint, reason: TcpCloseReason, log: AppLog): void;
}

export interface PairOptions {
  /** One-way delay, both directions (default 5 ms). */
  delay?: SimTime;
  clientMss?: number;
  serverMss?: number;
  clientIsn?: number;
  serverIsn?: number;
  clientPort?: number;
  serverPort?: number;
  /** Whether the server side accepts SYNs (default true); if not, they are answered with RST. */
  listen?: boolean;
  /** Return true to lose the segment. `index` counts segments per direction from 0. */
  drop?: (e: { t: SimTime; dir: Dir; seg: TcpSegment; index: number }) => boolean;
  server?: AppHooks;
  tunables?: Partial<TcpTunables>;
  /** Called after every transmission (the segment is already logged). */
  onTransmit?: (e: WireEntry) => void;
}

export class TcpPair {
  readonly sim = new Simulator();
  readonly wire: WireEntry[] = [];
  readonly clientLog = new AppLog();
  client?: TcpEndpoint;
  /** Every endpoint the server side created, oldest first, with its log. */
  readonly servers: { ep: TcpEndpoint; log: AppLog }[] = [];
  private readonly counts: Record<Dir, number> = { c2s: 0, s2c: 0 };
  private readonly delay: SimTime;
  private readonly clientPort: number;
  private readonly serverPort: number;

  constructor(private readonly opts: PairOptions = {}) {
    this.delay = opts.delay ?? 5 * MS;
    this.clientPort = opts.clientPort ?? 40000;
    this.serverPort = opts.serverPort ?? 80;
  }

  get server(): TcpEndpoint | undefined {
    return this.servers.at(-1)?.ep;
  }

  get serverLog(): AppLog {
    const s = this.servers.at(-1);
    if (!s) throw new Error('no server endpoint yet');
    return s.log;
  }

  /** Active open from the client side. */
  connect(app: AppHooks = {}): TcpEndpoint {
    const log = this.clientLog;
    const holder: { ep?: TcpEndpoint } = {};
    const env = this.env('c2s', this.opts.clientIsn ?? 1000, this.opts.clientMss ?? 1460, log);
    this.client = TcpEndpoint.connect(env, this.callbacks(holder, log, app), this.clientPort, this.serverPort);
    holder.ep = this.client;
    return this.client;
  }

  /** Active open from the server side too (simultaneous open). */
  connectFromServer(app: AppHooks = {}): TcpEndpoint {
    const log = new AppLog();
    const holder: { ep?: TcpEndpoint } = {};
    const env = this.env('s2c', this.opts.serverIsn ?? 900_000, this.opts.serverMss ?? 1460, log);
    const ep = TcpEndpoint.connect(env, this.callbacks(holder, log, app), this.serverPort, this.clientPort);
    holder.ep = ep;
    this.servers.push({ ep, log });
    return ep;
  }

  /** Segments that went out in one direction (dropped ones included), optionally filtered. */
  sent(dir: Dir, pred: (s: TcpSegment) => boolean = () => true): WireEntry[] {
    return this.wire.filter((e) => e.dir === dir && pred(e.seg));
  }

  private env(dir: Dir, isn: number, mss: number, log: AppLog): TcpEndpointEnv {
    return {
      sim: this.sim,
      isn,
      mss,
      transmit: (seg) => this.transmit(dir, seg),
      onStateChange: (from, to) => log.states.push({ t: this.sim.now(), from, to }),
      tunables: this.opts.tunables,
    };
  }

  private callbacks(holder: { ep?: TcpEndpoint }, log: AppLog, app: AppHooks): TcpEndpointCallbacks {
    const ep = (): TcpEndpoint => {
      if (!holder.ep) throw new Error('callback before the endpoint exists');
      return holder.ep;
    };
    return {
      onEstablished: () => {
        log.establishedAt = this.sim.now();
        app.onEstablished?.(ep(), log);
      },
      onData: (data) => {
        log.data.push(data);
        app.onData?.(ep(), data, log);
      },
      onRemoteClose: () => {
        log.remoteClosedAt = this.sim.now();
        app.onRemoteClose?.(ep(), log);
      },
      onClosed: (reason) => {
        if (log.closed) throw new Error('onClosed called twice');
        log.closed = { reason, t: this.sim.now() };
        app.onClosed?.(ep(), reason, log);
      },
    };
  }

  private transmit(dir: Dir, seg: TcpSegment): void {
    const index = this.counts[dir]++;
    const dropped = this.opts.drop?.({ t: this.sim.now(), dir, seg, index }) ?? false;
    const entry: WireEntry = { t: this.sim.now(), dir, seg, dropped };
    this.wire.push(entry);
    this.opts.onTransmit?.(entry);
    if (!dropped) this.sim.schedule(this.delay, () => this.arrive(dir, seg));
  }

  private arrive(dir: Dir, seg: TcpSegment): void {
    if (dir === 's2c') {
      if (this.client && this.client.state !== 'CLOSED') this.client.receive(seg);
      else this.refuse('c2s', seg);
      return;
    }
    const live = this.server;
    if (live && live.state !== 'CLOSED') {
      live.receive(seg);
    } else if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) === TcpFlag.SYN && (this.opts.listen ?? true)) {
      const log = new AppLog();
      const holder: { ep?: TcpEndpoint } = {};
      const isn = (this.opts.serverIsn ?? 900_000) + 7919 * this.servers.length;
      const env = this.env('s2c', isn, this.opts.serverMss ?? 1460, log);
      const ep = TcpEndpoint.accept(env, this.callbacks(holder, log, this.opts.server ?? {}), seg);
      holder.ep = ep;
      this.servers.push({ ep, log });
    } else {
      this.refuse('s2c', seg);
    }
  }

  private refuse(dir: Dir, seg: TcpSegment): void {
    const rst = resetFor(seg);
    if (rst) this.transmit(dir, rst);
  }
}

/** Bytes whose value depends on position, so any reordering, loss or duplication shows. */
export function patternBytes(n: number, salt = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + Math.floor(i / 251) * 7 + salt) & 0xff;
  return b;
}

export function bytesPayload(b: Uint8Array): Payload {
  return { length: b.length, bytes: b };
}

export function isData(s: TcpSegment): boolean {
  return s.payload.length > 0;
}

export function has(flag: number): (s: TcpSegment) => boolean {
  return (s) => (s.flags & flag) !== 0;
}

/** Segments with exactly these flags among SYN/ACK/FIN/RST. */
export function only(flags: number): (s: TcpSegment) => boolean {
  const mask = TcpFlag.SYN | TcpFlag.ACK | TcpFlag.FIN | TcpFlag.RST;
  return (s) => (s.flags & mask) === flags;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  if (prefix.length > of.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i]) return false;
  return true;
}
