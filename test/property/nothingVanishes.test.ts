import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../src/lab/index.ts';
import { isDropReason, type TraceEvent } from '../../src/trace/index.ts';

/**
 * "Nothing vanishes" (ARCHITECTURE.md, Contracts): random small networks — one to three switches, two to six
 * hosts, sometimes a router forwarding between the segments, addresses and prefixes that may not match the
 * segment a host is plugged into, unreachable destinations, small and slow queues, interfaces going down and
 * up, cables unplugged, hosts crashing and restarting, lossy cables — carry random pings, arpings and TCP request/response exchanges. Built as scenario YAML and run through
 * the lab, as a user's file would be. Then, from the trace alone:
 *
 * - frames: every `tx` has at least one end — an `rx` or a `drop` carrying its transmission number — and at
 *   most one per other port of its segment (a flood); every end belongs to a `tx`;
 * - packets: every IP packet a host takes in — routed for output or forwarding (`route`), or accepted in a
 *   frame (`rx`) — leaves that host in a frame (`tx`), is delivered (`route` local, or looped back on `lo`), or
 *   is dropped (`drop`) with its pid;
 * - every drop names a reason of the closed list.
 *
 * A transmission or packet still on its way when the run ends is not a loss: only what started before
 * HORIZON (4 s before the end: resolution holds a packet for at most mcast_solicit × retrans_time = 3 s, a
 * queue drains in well under a second at the slowest rate) is checked. Traffic starts in the first 2 s.
 */

const TRAFFIC_WINDOW_MS = 2000;
const DURATION_MS = 6000;
const HORIZON_NS = (DURATION_MS - 4000) * 1_000_000;

interface HostPlan {
  seg: number;
  /** Which 10.0.K.0/24 its address is in: -1 for its segment's own (3 times in 4), else another one. */
  subnet: number;
  octet: number;
  prefix: 16 | 24;
  gateway: boolean;
  service: boolean;
}

/** Another host (counted on from the sender), the sender itself, or an address nothing routes to. */
type Target = { peer: number } | { self: true } | { unreachable: number };

interface Action {
  kind: 'ping' | 'burst' | 'arping' | 'tcp' | 'down' | 'unplug' | 'crash' | 'loss';
  from: number;
  to: Target;
  atMs: number;
  count: number;
  /** For `down`, `unplug`, `crash` and `loss`: how long the fault lasts. */
  forMs: number;
}

interface Plan {
  segments: Array<{ queue: number; bandwidth: string; latency: string }>;
  router: boolean;
  hosts: HostPlan[];
  actions: Action[];
}

const planArb: fc.Arbitrary<Plan> = fc.integer({ min: 1, max: 3 }).chain((nseg) =>
  fc.integer({ min: 2, max: 6 }).chain((nhost) =>
    fc.record({
      segments: fc.array(
        fc.record({
          queue: fc.integer({ min: 1, max: 20 }),
          bandwidth: fc.constantFrom('10Mbit', '100Mbit', '1Gbit'),
          latency: fc.constantFrom('1us', '10us', '50us'),
        }),
        { minLength: nseg, maxLength: nseg },
      ),
      router: fc.boolean(),
      hosts: fc.array(
        fc.record({
          seg: fc.integer({ min: 0, max: nseg - 1 }),
          subnet: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
          octet: fc.integer({ min: 2, max: 40 }),
          prefix: fc.constantFrom(16 as const, 24 as const),
          gateway: fc.boolean(),
          service: fc.boolean(),
        }),
        { minLength: nhost, maxLength: nhost },
      ),
      actions: fc.array(
        fc.record({
          kind: fc.constantFrom('ping' as const, 'burst' as const, 'arping' as const, 'tcp' as const, 'down' as const, 'unplug' as const, 'crash' as const, 'loss' as const),
          from: fc.integer({ min: 0, max: nhost - 1 }),
          to: fc.oneof(
            { weight: 8, arbitrary: fc.record({ peer: fc.integer({ min: 0, max: nhost - 2 }) }) },
            { weight: 1, arbitrary: fc.constant({ self: true as const }) },
            { weight: 1, arbitrary: fc.record({ unreachable: fc.integer({ min: 1, max: 250 }) }) },
          ),
          atMs: fc.integer({ min: 0, max: TRAFFIC_WINDOW_MS }),
          count: fc.integer({ min: 1, max: 4 }),
          forMs: fc.integer({ min: 1, max: 1500 }),
        }),
        { minLength: 2, maxLength: 12 },
      ),
    }),
  ),
);

function subnetOf(h: HostPlan): number {
  return h.subnet < 0 ? h.seg : h.subnet;
}

function address(h: HostPlan): string {
  return `10.0.${subnetOf(h)}.${h.octet}`;
}

function targetAddress(plan: Plan, from: number, t: Target): string {
  if ('peer' in t) return address(plan.hosts[(from + 1 + t.peer) % plan.hosts.length]);
  if ('self' in t) return address(plan.hosts[from]);
  return `172.16.${t.unreachable}.9`;
}

function scenarioText(plan: Plan): string {
  const L: string[] = ['name: nothing vanishes', 'seed: 1', `duration: ${DURATION_MS}ms`, 'segments:'];
  plan.segments.forEach((s, i) => L.push(`  s${i}: { queue: ${s.queue}, bandwidth: ${s.bandwidth}, latency: ${s.latency} }`));
  L.push('hosts:');
  plan.hosts.forEach((h, i) => {
    L.push(`  h${i}:`, '    interfaces:', `      eth0: { segment: s${h.seg}, addresses: [${address(h)}/${h.prefix}] }`);
    // The gateway is always on-link for the host's own configuration (same 10.0.K); the router may or may not
    // really be on the host's segment, which is the point.
    if (plan.router && h.gateway) L.push('    commands:', `      - ip route add default via 10.0.${subnetOf(h)}.1`);
    if (h.service) L.push('    services:', '      - { port: 80, response: 3KB }');
  });
  if (plan.router) {
    L.push('  r:', '    interfaces:');
    plan.segments.forEach((_, i) => L.push(`      eth${i}: { segment: s${i}, addresses: [10.0.${i}.1/24] }`));
    L.push('    sysctl:', '      net.ipv4.ip_forward: 1');
  }
  const timeline: string[] = [];
  const traffic: string[] = [];
  for (const a of plan.actions) {
    const from = `h${a.from}`;
    const to = targetAddress(plan, a.from, a.to);
    switch (a.kind) {
      case 'ping':
        timeline.push(`  - { at: ${a.atMs}ms, host: ${from}, run: ping -c ${a.count} -i 0.1 -W 1 ${to} }`);
        break;
      case 'burst':
        // Back-to-back large echoes: fills small and slow queues.
        timeline.push(`  - { at: ${a.atMs}ms, host: ${from}, run: ping -c ${8 * a.count} -i 0.0001 -s 1400 -W 1 ${to} }`);
        break;
      case 'arping':
        timeline.push(`  - { at: ${a.atMs}ms, host: ${from}, run: arping -c ${a.count} -w 1 -I eth0 ${to} }`);
        break;
      case 'tcp':
        traffic.push(`  - { at: ${a.atMs}ms, from: ${from}, to: "${to}:80", count: ${a.count}, interval: 30ms }`);
        break;
      case 'down':
        timeline.push(`  - { at: ${a.atMs}ms, host: ${from}, run: ip link set eth0 down }`);
        timeline.push(`  - { at: ${a.atMs + a.forMs}ms, host: ${from}, run: ip link set eth0 up }`);
        break;
      // The timeline's faults (docs/scenario-format.md, Timeline): the cable, the whole host, a lossy cable.
      case 'unplug':
        timeline.push(`  - { at: ${a.atMs}ms, cable: ${from}/eth0, state: down }`, `  - { at: ${a.atMs + a.forMs}ms, cable: ${from}/eth0, state: up }`);
        break;
      case 'crash':
        timeline.push(`  - { at: ${a.atMs}ms, crash: ${from} }`, `  - { at: ${a.atMs + a.forMs}ms, restart: ${from} }`);
        break;
      case 'loss':
        timeline.push(`  - { at: ${a.atMs}ms, loss: ${from}/eth0, probability: 0.${a.count + 1} }`, `  - { at: ${a.atMs + a.forMs}ms, loss: ${from}/eth0, probability: 0 }`);
        break;
    }
  }
  if (timeline.length > 0) L.push('timeline:', ...timeline);
  if (traffic.length > 0) L.push('traffic:', ...traffic);
  return L.join('\n') + '\n';
}

/** Ports per segment: one per host interface on it, plus the router's. */
function portsPerSegment(plan: Plan): number[] {
  const n = plan.segments.map(() => (plan.router ? 1 : 0));
  for (const h of plan.hosts) n[h.seg]++;
  return n;
}

function segmentOf(plan: Plan, host: string, iface: string): number {
  if (host === 'r') return Number(iface.slice(3));
  return plan.hosts[Number(host.slice(1))].seg;
}

type Pkt = { pid: number; ip?: unknown };
const pktOf = (e: TraceEvent): Pkt | undefined => ('pkt' in e ? (e.pkt as Pkt | undefined) : undefined);

/** Every violation of the contract in one trace, as readable lines (empty when all is accounted for). */
function violations(plan: Plan, events: readonly TraceEvent[]): string[] {
  const out: string[] = [];
  const ports = portsPerSegment(plan);

  // Frames. Transmission numbers are counted per segment (each switch numbers what enters it), so a
  // transmission is (segment, number); host events name the segment through their interface.
  const segOf = (e: TraceEvent): number => (e.segment !== undefined ? Number(e.segment.slice(1)) : segmentOf(plan, e.host!, e.iface!));
  const txs = new Map<string, TraceEvent & { kind: 'tx' }>();
  const ends = new Map<string, number>();
  for (const e of events) {
    if (e.kind === 'drop' && !isDropReason(e.reason)) out.push(`drop with reason ${e.reason} outside the closed list (seq ${e.seq})`);
    if (e.kind === 'tx') {
      const k = `s${segOf(e)}#${e.frame}`;
      if (txs.has(k)) out.push(`transmission ${k} started twice`);
      txs.set(k, e);
    } else if ((e.kind === 'rx' || e.kind === 'drop') && e.frame !== undefined) {
      const k = `s${segOf(e)}#${e.frame}`;
      if (!txs.has(k)) out.push(`${e.kind} of transmission ${k} before or without its tx (seq ${e.seq})`);
      ends.set(k, (ends.get(k) ?? 0) + 1);
    }
  }
  for (const [k, tx] of txs) {
    const n = ends.get(k) ?? 0;
    const max = ports[segOf(tx)] - 1;
    if (n > Math.max(1, max)) out.push(`transmission ${k} from ${tx.host}/${tx.iface} has ${n} ends, more than the ${max} other ports`);
    if (n === 0 && tx.t <= HORIZON_NS) out.push(`transmission ${k} from ${tx.host}/${tx.iface} at ${tx.t} ns vanished: no rx, no drop`);
  }

  // Packets, per host: index every pid-carrying event so each entry can look for its end.
  const byHostPid = new Map<string, number[]>();
  events.forEach((e, i) => {
    const p = pktOf(e);
    if (p && e.host !== undefined) {
      const k = `${e.host}#${p.pid}`;
      let l = byHostPid.get(k);
      if (!l) byHostPid.set(k, (l = []));
      l.push(i);
    }
  });
  events.forEach((e, i) => {
    if (e.t > HORIZON_NS || e.host === undefined) return;
    const p = pktOf(e);
    if (!p) return;
    let isEnd: ((x: TraceEvent) => boolean) | undefined;
    if (e.kind === 'route' && (e.decision === 'output' || e.decision === 'forward')) {
      if (e.oif === 'lo') return; // looped back: delivered on this host
      isEnd = (x) => x.kind === 'tx' || x.kind === 'drop';
    } else if (e.kind === 'rx' && p.ip !== undefined) {
      isEnd = (x) => (x.kind === 'route' && (x.decision === 'local' || x.decision === 'forward')) || x.kind === 'drop';
    }
    if (!isEnd) return;
    const later = (byHostPid.get(`${e.host}#${p.pid}`) ?? []).filter((j) => j > i);
    if (!later.some((j) => isEnd!(events[j]))) out.push(`packet ${p.pid} vanished on ${e.host} after its ${e.kind}${e.kind === 'route' ? ` (${e.decision})` : ''} at ${e.t} ns (seq ${e.seq})`);
  });
  return out;
}

describe('nothing vanishes', () => {
  it('every frame sent is received or dropped with a reason, and every packet a host takes in ends on it', () => {
    let checkedFrames = 0;
    const reasons = new Set<string>();
    fc.assert(
      fc.property(planArb, (plan) => {
        const text = scenarioText(plan);
        const lab = Lab.fromText(text, { file: 'random.yaml' });
        lab.run();
        const v = violations(plan, lab.events);
        for (const e of lab.events) {
          if (e.kind === 'tx') checkedFrames++;
          else if (e.kind === 'drop') reasons.add(e.reason);
        }
        if (v.length > 0) throw new Error(`${v.slice(0, 8).join('\n')}\n--- scenario ---\n${text}`);
      }),
      { numRuns: 200 },
    );
    // The generator must reach the interesting paths, not produce quiet runs.
    expect(checkedFrames).toBeGreaterThan(3000);
    for (const r of ['link-queue-full', 'link-down', 'arp-failed', 'no-route', 'no-listener']) expect([...reasons]).toContain(r);
  });

  it('catches a frame that has no end and a packet that goes nowhere (self-test of the checker)', () => {
    const plan: Plan = {
      segments: [{ queue: 10, bandwidth: '1Gbit', latency: '10us' }],
      router: false,
      hosts: [
        { seg: 0, subnet: -1, octet: 2, prefix: 24, gateway: false, service: false },
        { seg: 0, subnet: -1, octet: 3, prefix: 24, gateway: false, service: false },
      ],
      actions: [],
    };
    const pkt = { pid: 7, ip: { src: '10.0.0.2', dst: '10.0.0.3' } };
    const base = { host: 'h0', iface: 'eth0' };
    const events = [
      { t: 0, seq: 0, kind: 'route', ...base, pkt, decision: 'output', via: '10.0.0.3', oif: 'eth0' },
      { t: 1, seq: 1, kind: 'tx', ...base, frame: 1, pkt },
      { t: 2, seq: 2, kind: 'tx', ...base, frame: 2, pkt: { pid: 8 } },
      { t: 3, seq: 3, kind: 'rx', host: 'h1', iface: 'eth0', frame: 1, pkt },
      { t: 4, seq: 4, kind: 'drop', host: 'h1', iface: 'eth0', frame: 9, reason: 'lost-in-space' },
    ] as unknown as TraceEvent[];
    expect(violations(plan, events)).toEqual([
      'drop with reason lost-in-space outside the closed list (seq 4)',
      'drop of transmission s0#9 before or without its tx (seq 4)',
      'transmission s0#2 from h0/eth0 at 2 ns vanished: no rx, no drop',
      'packet 7 vanished on h1 after its rx at 3 ns (seq 3)',
    ]);
  });
});
