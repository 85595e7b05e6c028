import { ConnectionTable, Destination, Simulator, VirtualService, type NewConnection } from '../lab/index.ts';
import { delays, median, timeSeconds } from './clock.ts';
import { fullGc, settledMemory } from './gc.ts';

const VIP = 0x0a000064; // 10.0.0.100
/** Clients from 198.18.0.0/15 (RFC 2544's benchmarking range): addresses above 2^31, as most public ones are. */
const CLIENT_BASE = 0xc6120000;
/** Client ports per client address: 16,384 ports from 1024, then the next address. */
const PORT_BITS = 14;
const REAL_SERVERS = 4;

export interface ConnectionFigures {
  connections: number;
  /** Growth of JS heap + ArrayBuffer memory per entry with `connections` in the table: entry, hash bucket, timer. */
  bytesPerConnection: number;
  /** False when no full collection could be forced: the figure then includes garbage and is an upper bound. */
  collected: boolean;
  /** Entries created per second while the table grows from empty to `connections` (median of the fills). */
  createsPerSecond: number;
  /** Client-side lookups (a client's packet finding its entry) per second in the full table, in random order. */
  lookupsPerSecond: number;
  /** Reply-side lookups (a real server's NAT reply finding its entry) per second, same order. */
  replyLookupsPerSecond: number;
}

/** The i-th client's address and port: every connection of the benchmark has its own client side. */
function clientAddr(i: number): number {
  return (CLIENT_BASE + (i >>> PORT_BITS)) >>> 0;
}

function clientPort(i: number): number {
  return 1024 + (i & ((1 << PORT_BITS) - 1));
}

/** One TCP NAT service with four real servers, and an empty table on a simulator whose clock stays at 0. */
class Workload {
  readonly sim = new Simulator();
  readonly table: ConnectionTable;
  readonly svc: VirtualService;
  readonly dests: Destination[] = [];

  constructor() {
    this.svc = new VirtualService({ kind: 'addr', protocol: 'tcp', address: VIP, port: 80 }, { name: 'none', schedule: () => null });
    for (let k = 1; k <= REAL_SERVERS; k++) {
      const d = new Destination(this.svc, { address: 0x0a020002 + (k << 8), port: 8080, fwd: 'masq', weight: 1, uThreshold: 0, lThreshold: 0 });
      this.svc.destinations.unshift(d);
      this.dests.push(d);
    }
    this.table = new ConnectionTable(this.sim, { created: () => undefined, expired: () => undefined });
  }

  /** What IpvsCore hands the table for the i-th client's SYN, round robin over the real servers. */
  params(i: number): NewConnection {
    const dest = this.dests[i % REAL_SERVERS];
    return {
      protocol: 6,
      caddr: clientAddr(i),
      cport: clientPort(i),
      vaddr: VIP,
      vport: 80,
      daddr: dest.address,
      dport: dest.port,
      template: false,
      onePacket: false,
      dest,
      fwd: 'masq',
      service: this.svc,
    };
  }

  fill(connections: number): void {
    for (let i = 0; i < connections; i++) this.table.create(this.params(i));
    if (this.table.size !== connections) throw new Error(`connection benchmark: ${this.table.size} of ${connections} entries in the table`);
  }
}

/**
 * The connection table at `connections` entries (docs/benchmarks.md). Memory first, on a fresh heap: JS heap +
 * ArrayBuffer memory after a full collection, before and after filling an empty table (its service,
 * destinations and simulator already built), divided by the count, so the figure is what each tracked
 * connection costs — entry, its share of the hash buckets, its timer. The fill is timed too; `repeats` - 1 more
 * fresh fills give the median create rate. Then lookups in that full table, client side and reply side, for
 * `connections` keys drawn at random, median of `repeats`. A smaller fill first warms up the JIT.
 */
export function benchConnections(connections: number, repeats: number): ConnectionFigures {
  new Workload().fill(Math.min(connections, 50_000));
  const gc = fullGc();
  const settle = (): number => settledMemory(gc);
  const full = fullTable(connections, repeats, settle);
  // The full table is gone by now, so the other fills do not pay for collections that walk it.
  const fills = [full.fillSeconds];
  for (let r = 1; r < repeats; r++) {
    const fresh = new Workload();
    settle();
    fills.push(timeSeconds(() => fresh.fill(connections)));
  }
  return {
    connections,
    bytesPerConnection: full.bytesPerConnection,
    collected: gc !== undefined,
    createsPerSecond: connections / median(fills),
    lookupsPerSecond: connections / median(full.lookups),
    replyLookupsPerSecond: connections / median(full.replies),
  };
}

/** The memory run and the lookups in the table it filled. */
function fullTable(connections: number, repeats: number, settle: () => number): { bytesPerConnection: number; fillSeconds: number; lookups: number[]; replies: number[] } {
  const w = new Workload();
  const before = settle();
  const fillSeconds = timeSeconds(() => w.fill(connections));
  const after = settle();

  // The keys in a pseudo-random order, outside the measured memory.
  const next = delays(0xc0de);
  const order = new Uint32Array(connections);
  for (let k = 0; k < connections; k++) order[k] = next() % connections;
  const table = w.table;
  const dests = w.dests;
  const lookups: number[] = [];
  const replies: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let found = 0;
    lookups.push(
      timeSeconds(() => {
        for (let k = 0; k < connections; k++) {
          const i = order[k];
          if (table.lookupIn(6, clientAddr(i), clientPort(i), VIP, 80) !== undefined) found++;
        }
      }),
    );
    replies.push(
      timeSeconds(() => {
        for (let k = 0; k < connections; k++) {
          const i = order[k];
          const d = dests[i % REAL_SERVERS];
          if (table.lookupOut(6, d.address, d.port, clientAddr(i), clientPort(i)) !== undefined) found++;
        }
      }),
    );
    if (found !== 2 * connections) throw new Error(`connection benchmark: ${found} of ${2 * connections} lookups found their entry`);
  }
  return { bytesPerConnection: (after - before) / connections, fillSeconds, lookups, replies };
}
