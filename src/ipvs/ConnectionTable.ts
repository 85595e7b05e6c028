import { SECOND, type SimTime, type Simulator } from '../sim/index.ts';
import type { Ipv4Address } from '../wire/index.ts';
import { Connection, TemplateState } from './Connection.ts';
import type { Destination, ForwardMethod } from './Destination.ts';
import type { VirtualService } from './VirtualService.ts';

/** What a new entry is made of (ip_vs_conn_param plus the destination side, ip_vs_conn_new). */
export interface NewConnection {
  protocol: number;
  caddr: Ipv4Address;
  cport: number;
  vaddr: Ipv4Address;
  vport: number;
  daddr: Ipv4Address;
  dport: number;
  template: boolean;
  onePacket: boolean;
  dest: Destination | undefined;
  fwd: ForwardMethod;
  service: VirtualService | undefined;
}

/** What the table tells its owner (the IPVS instance traces these). */
export interface ConnectionTableEvents {
  created(cp: Connection): void;
  expired(cp: Connection): void;
}

/** The kernel re-arms a template that still controls connections for this long (ip_vs_conn_expire). */
export const TEMPLATE_REARM: SimTime = 60 * SECOND;
/** ip_vs_conn_new's provisional timeout, replaced by the first state transition. */
const NEW_CONN_TIMEOUT: SimTime = 3 * SECOND;

function inKey(protocol: number, caddr: Ipv4Address, cport: number, vaddr: Ipv4Address, vport: number): string {
  return `${protocol}|${caddr}|${cport}|${vaddr}|${vport}`;
}

/**
 * The IPVS connection table (ip_vs_conn.c): entries found by the client side (inbound), by the server side
 * (replies; for NAT the real server's address and port, for DR/TUN the VIP), and templates by their own key.
 * Each entry has one timer: a packet "puts" the entry (re-arming `expires = now + timeout`), and when the timer
 * fires an entry that still controls others is re-armed for 60 s, otherwise it is unlinked and unbound from its
 * destination. The timer is lazy: one simulator event per entry, which on firing re-schedules itself if the
 * entry was put meanwhile — the same expiry instants as mod_timer, without an event per packet.
 */
export class ConnectionTable {
  private readonly byIn = new Map<string, Connection>();
  private readonly byOut = new Map<string, Connection>();
  private readonly templates = new Map<string, Connection>();
  /** Every linked entry in creation order (what listings show). */
  private readonly all = new Set<Connection>();
  private serial = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly events: ConnectionTableEvents,
  ) {}

  get size(): number {
    return this.all.size;
  }

  entries(): IterableIterator<Connection> {
    return this.all.values();
  }

  /** __ip_vs_conn_in_get: a client's packet to a virtual address. Templates never match (their cport is 0). */
  lookupIn(protocol: number, saddr: Ipv4Address, sport: number, daddr: Ipv4Address, dport: number): Connection | undefined {
    return this.byIn.get(inKey(protocol, saddr, sport, daddr, dport));
  }

  /** ip_vs_conn_out_get: a reply; its source is the real server (NAT) or the VIP (DR/TUN), its destination the client. */
  lookupOut(protocol: number, saddr: Ipv4Address, sport: number, daddr: Ipv4Address, dport: number): Connection | undefined {
    return this.byOut.get(inKey(protocol, daddr, dport, saddr, sport));
  }

  /** ip_vs_ct_in_get: the template for (protocol, client or its network, virtual address or fwmark, virtual port). */
  lookupTemplate(protocol: number, caddr: Ipv4Address, vaddr: Ipv4Address, vport: number): Connection | undefined {
    return this.templates.get(inKey(protocol, caddr, 0, vaddr, vport));
  }

  /** ip_vs_conn_new + ip_vs_bind_dest: a new entry, hashed (unless one-packet), bound, its timer armed. */
  create(p: NewConnection): Connection {
    const cp = new Connection({ ...p, serial: this.serial++, timeout: NEW_CONN_TIMEOUT });
    if (!p.onePacket) this.hash(cp);
    this.all.add(cp);
    if (p.dest) bindDest(cp, p.dest);
    this.events.created(cp);
    this.armTimer(cp, this.sim.now() + cp.timeout);
    return cp;
  }

  /**
   * ip_vs_conn_put: the entry was used; its timer restarts from now with its current timeout. A one-packet
   * entry with no other user expires at once.
   */
  put(cp: Connection): void {
    if (cp.onePacket) return this.expireNow(cp);
    this.rearm(cp, this.sim.now() + cp.timeout);
  }

  /** ip_vs_conn_expire_now: the timer fires at once (what it then does depends on n_control, as always). */
  expireNow(cp: Connection): void {
    cp.timeout = 0;
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

  /** Ties a new connection to its template (ip_vs_control_add). */
  control(cp: Connection, ct: Connection): void {
    cp.control = ct;
    ct.nControl++;
  }

  /** Every entry whose destination satisfies `pred`, in creation order (for sweeps). */
  select(pred: (cp: Connection) => boolean): Connection[] {
    const out: Connection[] = [];
    for (const cp of this.all) if (pred(cp)) out.push(cp);
    return out;
  }

  private hash(cp: Connection): void {
    if (cp.template) {
      chainAdd(this.templates, inKey(cp.protocol, cp.caddr, 0, cp.vaddr, cp.vport), cp);
      return;
    }
    chainAdd(this.byIn, inKey(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport), cp);
    // Replies come from the real server for NAT, from the virtual address for DR/TUN (ip_vs_conn_out_get).
    const masq = cp.fwd === 'masq';
    chainAdd(this.byOut, inKey(cp.protocol, cp.caddr, cp.cport, masq ? cp.daddr : cp.vaddr, masq ? cp.dport : cp.vport), cp);
  }

  private unhash(cp: Connection): void {
    if (cp.template) {
      chainRemove(this.templates, inKey(cp.protocol, cp.caddr, 0, cp.vaddr, cp.vport), cp);
      return;
    }
    chainRemove(this.byIn, inKey(cp.protocol, cp.caddr, cp.cport, cp.vaddr, cp.vport), cp);
    const masq = cp.fwd === 'masq';
    chainRemove(this.byOut, inKey(cp.protocol, cp.caddr, cp.cport, masq ? cp.daddr : cp.vaddr, masq ? cp.dport : cp.vport), cp);
  }

  private rearm(cp: Connection, at: SimTime): void {
    if (!cp.linked) return;
    cp.expires = at;
    // A pending event no later than the new deadline re-schedules itself when it fires (see onTimer); one that
    // would fire too late is replaced.
    if (cp.timer !== undefined && cp.timerAt <= at) return;
    this.sim.cancel(cp.timer);
    this.armTimer(cp, at);
  }

  private armTimer(cp: Connection, at: SimTime): void {
    cp.expires = at;
    cp.timerAt = at;
    cp.timer = this.sim.scheduleAt(at, () => this.onTimer(cp));
  }

  private onTimer(cp: Connection): void {
    cp.timer = undefined;
    if (!cp.linked) return;
    if (cp.expires > this.sim.now()) return this.armTimer(cp, cp.expires);
    this.expire(cp);
  }

  /** ip_vs_conn_expire. */
  private expire(cp: Connection): void {
    if (!cp.linked) return;
    if (cp.nControl > 0) {
      // Still controls connections: expire later.
      cp.timeout = TEMPLATE_REARM;
      this.rearm(cp, this.sim.now() + cp.timeout);
      return;
    }
    this.sim.cancel(cp.timer);
    cp.timer = undefined;
    cp.linked = false;
    if (!cp.onePacket) this.unhash(cp);
    this.all.delete(cp);
    const ct = cp.control;
    if (ct) {
      // An entry dropped at once (timeout 0) takes its template with it when that controls nothing else and
      // is not ASSURED; an entry that timed out normally leaves the template to its own timer.
      const dropNow = cp.timeout === 0;
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

function chainAdd(map: Map<string, Connection>, key: string, cp: Connection): void {
  cp.nextSameKey = map.get(key);
  map.set(key, cp);
}

function chainRemove(map: Map<string, Connection>, key: string, cp: Connection): void {
  let head = map.get(key);
  if (head === cp) {
    if (cp.nextSameKey) map.set(key, cp.nextSameKey);
    else map.delete(key);
    cp.nextSameKey = undefined;
    return;
  }
  while (head && head.nextSameKey !== cp) head = head.nextSameKey;
  if (head) head.nextSameKey = cp.nextSameKey;
  cp.nextSameKey = undefined;
}
