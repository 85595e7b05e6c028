import type { Destination } from '../Destination.ts';
import { SchedFlag, type VirtualService } from '../VirtualService.ts';
import { addrFold, hsiphash32, hsipKey, sourcePortOf } from './hash.ts';
import type { ScheduleRequest, Scheduler, SchedulerContext, SchedulerFactory } from './Scheduler.ts';

/**
 * mh — Maglev hashing (net/netfilter/ipvs/ip_vs_mh.c).
 *
 * A lookup table of M = 4093 slots (CONFIG_IP_VS_MH_TAB_INDEX default 12 → primes[12 - 8]), rebuilt on init,
 * add, delete and edit. Each server gets a permutation of the slots from two hashes of its address and port,
 * `offset = H1 mod M` and `skip = H2 mod (M - 1) + 1`, where H is the 64-bit kernel's hsiphash of the u32
 * `port + addr` under the fixed keys below. Servers then take turns in list order, each claiming
 * `turns = (last_weight / gcd) >> rshift` (at least 1 when last_weight ≠ 0, none when it is 0) next free
 * slots along its permutation, until every slot is taken. It is `last_weight`, not `weight`, that counts: a
 * server set to weight 0 with -e keeps its slots (and lookups then find it unavailable); one *added* with
 * weight 0 gets none. `rshift` = max(0, fls(max_last_weight / gcd) - 6) keeps the turns small.
 *
 * Lookup: slot `H1(sport + saddr) mod M` (sport only with `-b mh-port`, for TCP/UDP/SCTP). A server with weight
 * ≤ 0 or OVERLOADed is unavailable: refused without `-b mh-fallback`; with it, slots
 * `H1(((k + slot) mod M) + sport + saddr) mod M` are tried for k = 0..M-1 until an available server (taken) or
 * an empty slot (refused). More than M servers cannot be laid out: the table then stays as it was (the kernel's
 * reassign fails with -EINVAL).
 */
export const maglevHashing: SchedulerFactory = (svc, ctx) => new MaglevHashing(svc, ctx);

/** The primes the kernel may size the table by; CONFIG_IP_VS_MH_TAB_INDEX picks one (index - 8). */
const PRIMES = [251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071] as const;
/** CONFIG_IP_VS_MH_TAB_INDEX as Debian's 6.1 kernel (and the Kconfig default) has it. */
const TAB_INDEX = 12;
export const MH_TAB_SIZE = PRIMES[TAB_INDEX - 8];
/** IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2: how many bits of weight / gcd the turns keep. */
const TAB_BITS = Math.trunc(TAB_INDEX / 2);

/** generate_hash_secret: fixed keys, so every director builds the same table. */
const HASH1 = hsipKey(2654435761, 2654435761);
const HASH2 = hsipKey(2654446892, 2654446892);

class MaglevHashing implements Scheduler {
  readonly name = 'mh';
  private readonly ctx: SchedulerContext;
  private readonly lookup: Array<Destination | null> = new Array<Destination | null>(MH_TAB_SIZE).fill(null);
  /** Slot-taken marks for a rebuild, kept to avoid reallocating. */
  private readonly taken = new Uint8Array(MH_TAB_SIZE);

  constructor(svc: VirtualService, ctx: SchedulerContext) {
    this.ctx = ctx;
    this.reassign(svc);
  }

  addDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  delDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  updDest(svc: VirtualService): void {
    this.reassign(svc);
  }

  doneService(): void {
    this.lookup.fill(null);
  }

  schedule(svc: VirtualService, req: ScheduleRequest): Destination | null {
    const port = (svc.schedFlags & SchedFlag.flag2) !== 0 ? sourcePortOf(req.protocol, req.sport) : 0;
    const base = (port + addrFold(req.saddr)) >>> 0;
    const d = (svc.schedFlags & SchedFlag.flag1) !== 0 ? this.withFallback(base) : this.direct(base);
    if (d === null) this.ctx.schedulerError(svc, 'no destination available');
    return d;
  }

  /** ip_vs_mh_get. */
  private direct(base: number): Destination | null {
    const d = this.lookup[hsiphash32(HASH1, base) % MH_TAB_SIZE];
    return d === null || unavailable(d) ? null : d;
  }

  /** ip_vs_mh_get_fallback. */
  private withFallback(base: number): Destination | null {
    const ih = hsiphash32(HASH1, base) % MH_TAB_SIZE;
    let d = this.lookup[ih];
    if (d === null) return null;
    if (!unavailable(d)) return d;
    for (let k = 0; k < MH_TAB_SIZE; k++) {
      const roffset = (k + ih) % MH_TAB_SIZE;
      d = this.lookup[hsiphash32(HASH1, (roffset + base) >>> 0) % MH_TAB_SIZE];
      if (d === null) break;
      if (!unavailable(d)) return d;
    }
    return null;
  }

  /** ip_vs_mh_dest_changed → gcd, rshift, ip_vs_mh_reassign (permutate + populate). */
  private reassign(svc: VirtualService): void {
    const list = svc.destinations;
    if (list.length > MH_TAB_SIZE) return;
    const owners = populateMaglev(list, MH_TAB_SIZE, this.taken);
    for (let c = 0; c < MH_TAB_SIZE; c++) this.lookup[c] = owners[c] < 0 ? null : list[owners[c]];
  }
}

/** What a table build reads of a destination. */
export type MaglevMember = Pick<Destination, 'address' | 'port' | 'lastWeight'>;

/**
 * The kernel's table build (ip_vs_mh_permutate + ip_vs_mh_populate) for a table of `size` slots: each slot's
 * owner as an index into `list`, -1 for none (no positive last weight). `size` must be a prime above the
 * number of members; the kernel's is MH_TAB_SIZE, and the published-result check (src/lab/fairness/published.ts)
 * also builds Maglev's own M = 65537 with it. `taken` is scratch space of at least `size` bytes.
 */
export function populateMaglev(list: readonly MaglevMember[], size: number, taken: Uint8Array = new Uint8Array(size)): Int32Array {
  const owners = new Int32Array(size).fill(-1);
  const n = list.length;
  if (n > size) throw new RangeError(`${n} members do not fit a table of ${size}`);
  const g = gcdLastWeight(list);
  if (g < 1) return owners;
  const rshift = shiftWeight(list, g);
  const skip = new Array<number>(n);
  const perm = new Array<number>(n);
  const turns = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const d = list[i];
    const v = (d.port + addrFold(d.address)) >>> 0;
    perm[i] = hsiphash32(HASH1, v) % size;
    skip[i] = (hsiphash32(HASH2, v) % (size - 1)) + 1;
    const lw = d.lastWeight;
    const t = Math.trunc(lw / g) >> rshift;
    turns[i] = t !== 0 ? t : lw !== 0 ? 1 : 0;
  }
  taken.fill(0, 0, size);
  let filled = 0;
  let dtCount = 0;
  // Servers take turns in list order, round after round, until every slot is claimed.
  for (;;) {
    for (let i = 0; i < n; ) {
      if (turns[i] < 1) {
        i++;
        continue;
      }
      let c = perm[i];
      while (taken[c] !== 0) {
        c += skip[i];
        if (c >= size) c -= size;
      }
      perm[i] = c;
      taken[c] = 1;
      owners[c] = i;
      if (++filled === size) return owners;
      if (++dtCount >= turns[i]) {
        dtCount = 0;
        i++;
      }
    }
  }
}

function unavailable(d: Destination): boolean {
  return d.weight <= 0 || d.overloaded;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/** ip_vs_mh_gcd_weight: gcd of the positive last weights, 0 when there is none. */
function gcdLastWeight(list: readonly MaglevMember[]): number {
  let g = 0;
  for (const d of list) {
    const w = d.lastWeight;
    if (w > 0) g = g > 0 ? gcd(w, g) : w;
  }
  return g;
}

/** ip_vs_mh_shift_weight: how far to shift weight / gcd so the largest keeps TAB_BITS bits. */
function shiftWeight(list: readonly MaglevMember[], g: number): number {
  let max = 0;
  for (const d of list) if (d.lastWeight > max) max = d.lastWeight;
  const mw = Math.trunc(max / g);
  const fls = mw === 0 ? 0 : 32 - Math.clz32(mw);
  const shift = fls - TAB_BITS;
  return shift >= 0 ? shift : 0;
}
