import { SECOND, type SimTime, type Simulator } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import { ConnFlag, Connection, TemplateState, jiffyAtOrAfter, jiffyTime, type NewConnection } from './Connection.ts';
import type { Destination } from './Destination.ts';

export type { NewConnection } from './Connection.ts';

/** What the table tells its owner (the IPVS instance traces these). */
export interface ConnectionTableEvents {
  created(cp: Connection): void;
  expired(cp: Connection): void;
}

/** The kernel re-arms a template that still controls connections for this long (ip_vs_conn_expire). */
export const TEMPLATE_REARM: SimTime = 60 * SECOND;
/** ip_vs_conn_new's provisional timeout, replaced by the first state transition. */
const NEW_CONN_TIMEOUT: SimTime = 3 * SECOND;

/** Buckets a new table starts with (2^8, the smallest conn_tab_bits the kernel accepts). */
const INITIAL_BUCKETS = 256;
/** The table doubles once it holds more than this many entries per bucket on average. */
const MAX_LOAD = 2;

/** What a chain entry's flags must equal, under KEY_FLAGS, to answer a lookup: protocol, template or not, hashed. */
const KEY_FLAGS = ConnFlag.PROTOCOL | ConnFlag.TEMPLATE | ConnFlag.ONE_PACKET;

/**
 * The bucket of (protocol, client address, client port): the one key of the kernel's table (ip_vs_conn_hashkey
 * hashes protocol, caddr and cport with jhash and a boot-time random seed). This mix has no seed, so the
 * table — and its listing order — is the same on every run.
 */
function bucketOf(protocol: number, caddr: number, cport: number, mask: number): number {
  let h = Math.imul(caddr ^ Math.imul(cport | (protocol << 16), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}

/**
 * The IPVS connection table (ip_vs_conn.c): entries found by the client side (inbound), by the server side
 * (replies; for NAT the real server's address and port, for DR/TUN the VIP), and templates by their own key.
 *
 * Hashing, as the kernel does it: one table of buckets keyed by (protocol, client address, client port) — every
 * lookup knows the client's side, a reply as its destination — each bucket a chain threaded through the entries
 * themselves, a new entry at its head, so that among entries with the same key the newest is found first. Each
 * lookup walks one chain comparing the full key of its kind. Templates (client port 0) are in the same chains
 * and only template lookups match them. One-packet entries are chained too, for listings and sweeps, but no
 * lookup matches them (the kernel does not hash them at all). Unlike the kernel's fixed 2^12 buckets, the table
 * doubles as it fills, keeping chains short at a million entries.
 *
 * Listing order (`entries`, `select`, and so `ipvsadm -L -c`) is hash-bucket order, as /proc/net/ip_vs_conn is:
 * bucket by bucket, each chain newest first. It is deterministic (the hash has no random seed) but depends on
 * the table's size, which grows with the number of entries.
 *
 * Timers, as the kernel keeps them: each entry has one, in jiffies (HZ=250, 4 ms). A packet "puts" the entry,
 * re-arming `expires` to the first tick at or after now + timeout (mod_timer); when the timer fires an entry
 * that still controls others is re-armed for 60 s, otherwise it is unlinked and unbound from its destination.
 * Pending timers wait in per-jiffy buckets — a ring of entries threaded through them, oldest arming first — and
 * each non-empty bucket has one simulator event. Re-arming is lazy: a put that moves the deadline later leaves
 * the entry in its bucket, and when that bucket's tick comes the entry moves on to the bucket of its deadline;
 * only a deadline moved earlier moves it at once. Expiry instants are the same as with mod_timer on every put.
 * Entries due at the same tick expire in the order they entered that tick's bucket.
 */
export class ConnectionTable {
  private buckets: Array<Connection | null> = new Array<Connection | null>(INITIAL_BUCKETS).fill(null);
  private mask = INITIAL_BUCKETS - 1;
  private count = 0;
  /** ip_vs_conn_no_cport_cnt: entries still waiting for their client port; while there are none, lookups skip the second pass. */
  private noCportCount = 0;
  /**
   * Timer buckets by jiffy. A key is present exactly while that tick's simulator event is pending; its value is
   * the oldest entry of the bucket's ring, or null once every entry has left early.
   */
  private readonly timers = new Map<number, Connection | null>();

  constructor(
    private readonly sim: Simulator,
    private readonly events: ConnectionTableEvents,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Every entry, templates and one-packet entries included, in hash-bucket order (see the class comment). */
  *entries(): IterableIterator<Connection> {
    const buckets = this.buckets;
    for (let b = 0; b < buckets.length; b++) {
      for (let cp = buckets[b]; cp !== null; cp = cp.hashNext) yield cp;
    }
  }

  /**
   * ip_vs_conn_in_get: a client's packet to a virtual address. Templates never match (their cport is 0). While
   * some entry has no client port yet (NO_CPORT, ip_vs_ftp's data entries), a miss is tried again with client
   * port 0 against those entries only.
   */
  lookupIn(protocol: number, saddr: Ipv4Address, sport: number, daddr: Ipv4Address, dport: number): Connection | undefined {
    const s = saddr | 0;
    const d = daddr | 0;
    for (let cp = this.buckets[bucketOf(protocol, s, sport, this.mask)]; cp !== null; cp = cp.hashNext) {
      if ((cp.flags & KEY_FLAGS) === protocol && cp.caddrBits === s && cp.cport === sport && cp.vaddrBits === d && cp.vport === dport) return cp;
    }
    if (this.noCportCount > 0) {
      const want = protocol | ConnFlag.NO_CPORT;
      for (let cp = this.buckets[bucketOf(protocol, s, 0, this.mask)]; cp !== null; cp = cp.hashNext) {
        if ((cp.flags & (KEY_FLAGS | ConnFlag.NO_CPORT)) === want && cp.caddrBits === s && cp.cport === 0 && cp.vaddrBits === d && cp.vport === dport) return cp;
      }
    }
    return undefined;
  }

  /** ip_vs_conn_out_get: a reply; its source is the real server (NAT) or the VIP (DR/TUN), its destination the client. */
  lookupOut(protocol: number, saddr: Ipv4Address, sport: number, daddr: Ipv4Address, dport: number): Connection | undefined {
    const s = saddr | 0;
    const d = daddr | 0;
    for (let cp = this.buckets[bucketOf(protocol, d, dport, this.mask)]; cp !== null; cp = cp.hashNext) {
      if ((cp.flags & KEY_FLAGS) !== protocol || cp.caddrBits !== d || cp.cport !== dport) continue;
      // Replies come from the real server for NAT, from the virtual address for DR/TUN.
      if ((cp.flags & ConnFlag.FWD) === 0 ? cp.daddrBits === s && cp.dport === sport : cp.vaddrBits === s && cp.vport === sport) return cp;
    }
    return undefined;
  }

  /** ip_vs_ct_in_get: the template for (protocol, client or its network, virtual address or fwmark, virtual port). */
  lookupTemplate(protocol: number, caddr: Ipv4Address, vaddr: Ipv4Address, vport: number): Connection | undefined {
    const c = caddr | 0;
    const v = vaddr | 0;
    const want = protocol | ConnFlag.TEMPLATE;
    for (let cp = this.buckets[bucketOf(protocol, c, 0, this.mask)]; cp !== null; cp = cp.hashNext) {
      if ((cp.flags & KEY_FLAGS) === want && cp.caddrBits === c && cp.cport === 0 && cp.vaddrBits === v && cp.vport === vport) return cp;
    }
    return undefined;
  }

  /** ip_vs_conn_new + ip_vs_bind_dest: a new entry, hashed, bound, its timer armed. */
  create(p: NewConnection): Connection {
    const cp = new Connection(p, NEW_CONN_TIMEOUT);
    this.hash(cp);
    this.count++;
    if (cp.noCport) this.noCportCount++;
    if (p.dest) bindDest(cp, p.dest);
    this.events.created(cp);
    this.file(cp, jiffyAtOrAfter(this.sim.now()) + cp.timeoutJiffies);
    return cp;
  }

  /**
   * ip_vs_conn_put: the entry was used; its timer restarts from now with its current timeout. A one-packet
   * entry with no other user expires at once.
   */
  put(cp: Connection): void {
    if (cp.onePacket) return this.expireNow(cp);
    this.rearm(cp, jiffyAtOrAfter(this.sim.now()) + cp.timeoutJiffies);
  }

  /** ip_vs_conn_expire_now: the timer fires at once (what it then does depends on n_control, as always). */
  expireNow(cp: Connection): void {
    cp.timeoutJiffies = 0;
    this.expire(cp);
  }

  /**
   * ip_vs_check_template's invalidation: the template is re-keyed so that it can never match again (ports
   * 65535, client port 0) and left to its timer.
   */
  invalidateTemplate(ct: Connection): void {
    if (ct.vport === 0xffff) return;
    this.unhash(ct);
    ct.dport = 0xffff;
    ct.vport = 0xffff;
    ct.cport = 0;
    this.hash(ct);
  }

  /**
   * ip_vs_conn_fill_cport: the first client packet of a NO_CPORT entry names its port; the entry is hashed again
   * under it and from then on is an ordinary connection.
   */
  fillCport(cp: Connection, cport: number): void {
    if (!cp.linked || !cp.noCport) return;
    this.unhash(cp);
    this.noCportCount--;
    cp.flags &= ~ConnFlag.NO_CPORT;
    cp.cport = cport;
    this.hash(cp);
  }

  /** Ties a new connection to its template, or an FTP data entry to its control connection (ip_vs_control_add). */
  control(cp: Connection, ct: Connection): void {
    cp.control = ct;
    ct.nControl++;
  }

  /**
   * The machine went down: every entry is gone at once, as kernel memory is at a reboot. No timer of a
   * forgotten entry fires and no expiry is traced (nothing expired); the destinations' counters drop with the
   * entries, since a rebooted kernel starts from zero.
   */
  forgetAll(): void {
    for (const cp of [...this.entries()]) {
      this.unfile(cp);
      cp.flags &= ~ConnFlag.LINKED;
      cp.control = undefined;
      cp.nControl = 0;
      if (cp.dest) unbindDest(cp, cp.dest);
      cp.hashNext = null;
    }
    this.buckets.fill(null);
    this.count = 0;
    this.noCportCount = 0;
  }

  /** Every entry that satisfies `pred`, in listing order (for sweeps, which may then expire them). */
  select(pred: (cp: Connection) => boolean): Connection[] {
    const out: Connection[] = [];
    for (const cp of this.entries()) if (pred(cp)) out.push(cp);
    return out;
  }

  // ------------------------------------------------------------------------------------------ hash chains

  private hash(cp: Connection): void {
    if (this.count >= this.buckets.length * MAX_LOAD) this.grow();
    const b = bucketOf(cp.protocol, cp.caddrBits, cp.cport, this.mask);
    cp.hashNext = this.buckets[b];
    this.buckets[b] = cp;
  }

  private unhash(cp: Connection): void {
    const b = bucketOf(cp.protocol, cp.caddrBits, cp.cport, this.mask);
    let prev = this.buckets[b];
    if (prev === cp) this.buckets[b] = cp.hashNext;
    else {
      while (prev !== null && prev.hashNext !== cp) prev = prev.hashNext;
      if (prev !== null) prev.hashNext = cp.hashNext;
    }
    cp.hashNext = null;
  }

  /**
   * Twice the buckets. An old chain splits into two new ones, each keeping the old chain's order (so the newest
   * of a key stays first): the old chain is taken tail first and each entry pushed at its new chain's head.
   */
  private grow(): void {
    const old = this.buckets;
    const size = old.length * 2;
    const buckets = new Array<Connection | null>(size).fill(null);
    const mask = size - 1;
    const chain: Connection[] = [];
    for (let b = 0; b < old.length; b++) {
      for (let cp = old[b]; cp !== null; cp = cp.hashNext) chain.push(cp);
      for (let i = chain.length - 1; i >= 0; i--) {
        const cp = chain[i];
        const nb = bucketOf(cp.protocol, cp.caddrBits, cp.cport, mask);
        cp.hashNext = buckets[nb];
        buckets[nb] = cp;
      }
      chain.length = 0;
    }
    this.buckets = buckets;
    this.mask = mask;
  }

  // ------------------------------------------------------------------------------------------------ timers

  /** mod_timer: the deadline becomes jiffy `at`; the entry moves only if its bucket's tick would come too late. */
  private rearm(cp: Connection, at: number): void {
    if (!cp.linked) return;
    cp.expiresJiffy = at;
    if (cp.timerNext !== null && cp.timerJiffy <= at) return;
    this.unfile(cp);
    this.file(cp, at);
  }

  /** Puts the entry at the end of the bucket of jiffy `at` (its deadline), making the tick's event if needed. */
  private file(cp: Connection, at: number): void {
    cp.expiresJiffy = at;
    cp.timerJiffy = at;
    const head = this.timers.get(at);
    if (head === undefined || head === null) {
      cp.timerNext = cp;
      cp.timerPrev = cp;
      if (head === undefined) this.sim.scheduleAtWith(jiffyTime(at), this.tick, at);
      this.timers.set(at, cp);
      return;
    }
    const tail = head.timerPrev!;
    tail.timerNext = cp;
    cp.timerPrev = tail;
    cp.timerNext = head;
    head.timerPrev = cp;
  }

  /** Takes the entry out of its timer bucket, if it is in one. */
  private unfile(cp: Connection): void {
    const next = cp.timerNext;
    if (next === null) return;
    if (next === cp) this.timers.set(cp.timerJiffy, null);
    else {
      const prev = cp.timerPrev!;
      prev.timerNext = next;
      next.timerPrev = prev;
      if (this.timers.get(cp.timerJiffy) === cp) this.timers.set(cp.timerJiffy, next);
    }
    cp.timerNext = null;
    cp.timerPrev = null;
  }

  /**
   * Jiffy `j` has come: every entry of its bucket, oldest first, either moves on to the bucket of a later
   * deadline (it was put meanwhile) or expires. Entries filed for `j` while this runs are taken too.
   */
  private readonly tick = (j: number): void => {
    const timers = this.timers;
    for (let cp = timers.get(j); cp !== undefined && cp !== null; cp = timers.get(j)) {
      this.unfile(cp);
      if (cp.expiresJiffy > j) this.file(cp, cp.expiresJiffy);
      else this.expire(cp);
    }
    timers.delete(j);
  };

  /** ip_vs_conn_expire. */
  private expire(cp: Connection): void {
    if (!cp.linked) return;
    if (cp.nControl > 0) {
      // Still controls connections: expire later.
      cp.timeout = TEMPLATE_REARM;
      this.rearm(cp, jiffyAtOrAfter(this.sim.now()) + cp.timeoutJiffies);
      return;
    }
    this.unfile(cp);
    cp.flags &= ~ConnFlag.LINKED;
    this.unhash(cp);
    this.count--;
    if (cp.noCport) this.noCportCount--;
    const ct = cp.control;
    if (ct) {
      // An entry dropped at once (timeout 0) takes its template with it when that controls nothing else and
      // is not ASSURED; an entry that timed out normally leaves the template to its own timer.
      const dropNow = cp.timeoutJiffies === 0;
      cp.control = undefined;
      ct.nControl--;
      if (dropNow && ct.nControl === 0 && ct.linked && (!ct.template || !(ct.state & TemplateState.ASSURED))) this.expireNow(ct);
    }
    if (cp.dest) unbindDest(cp, cp.dest);
    this.events.expired(cp);
  }
}

/** ip_vs_bind_dest: counters and the overload flag (Debian 6.1 keeps totalconns, see Destination). */
function bindDest(cp: Connection, dest: Destination): void {
  if (cp.template) {
    dest.persistConns++;
    return;
  }
  if (!cp.inactive) dest.activeConns++;
  dest.totalConns++;
  if (dest.totalConns === dest.uThreshold) dest.updateOverload(1);
}

/** ip_vs_unbind_dest. */
function unbindDest(cp: Connection, dest: Destination): void {
  if (cp.template) {
    dest.persistConns--;
    return;
  }
  if (!cp.inactive) dest.activeConns--;
  const before = dest.totalConns--;
  if (before === dest.lThresholdVal) dest.updateOverload(-1);
}
