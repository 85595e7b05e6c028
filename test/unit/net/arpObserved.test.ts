import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';
import { ipLocalOut, Scope, type Host, type Interface } from '../../../src/net/index.ts';
import { SimWorld } from '../simWorld.ts';

/**
 * shared/reference/linux-arp-observed.md, reproduced cell by cell: one segment, `client` (forwarding on, asks
 * who-has VIP), `director` with the VIP as secondary eth0:0, rs1 and rs2 with the VIP placed per row and
 * arp_ignore per column. The real bridge flooded to rs2, rs1, director in that order; our switch floods in
 * attachment order, so the cables are attached client, rs2, rs1, director.
 */
const ip = (s: string) => parseIpv4(s)!;
const VIP = ip('192.168.1.110');

type Placement = 'none' | 'eth0/24' | 'eth0/32' | 'lo/32' | 'lo/24';

function world(placement: Placement, arpIgnore: number, arpAnnounce = 0) {
  const w = new SimWorld();
  const { sim, sink } = w;
  const hosts = new Map<string, { host: Host; eth0: Interface }>();
  const mk = (name: string, mac: string, addr: string) => {
    const host = w.newHost(name);
    const eth0 = w.plugNew(host, 'eth0', mac, 'lan');
    host.addAddress(eth0, { address: ip(addr), prefixLen: 24, scope: Scope.global, label: 'eth0' });
    hosts.set(name, { host, eth0 });
    return { host, eth0 };
  };
  const client = mk('client', '02:00:00:00:00:fe', '192.168.1.254');
  const rs2 = mk('rs2', '02:00:00:00:00:03', '192.168.1.3');
  const rs1 = mk('rs1', '02:00:00:00:00:02', '192.168.1.2');
  const director = mk('director', '02:00:00:00:00:01', '192.168.1.1');
  client.host.sysctls.set('net.ipv4.ip_forward', '1');
  director.host.addAddress(director.eth0, { address: VIP, prefixLen: 24, scope: Scope.global, label: 'eth0:0' });
  for (const rs of [rs1, rs2]) {
    for (const lvl of ['all', 'eth0']) {
      rs.host.sysctls.set(`net.ipv4.conf.${lvl}.arp_ignore`, String(arpIgnore));
      rs.host.sysctls.set(`net.ipv4.conf.${lvl}.arp_announce`, String(arpAnnounce));
    }
    if (placement !== 'none') {
      const [dev, len] = placement.split('/');
      const d = dev === 'lo' ? rs.host.loopback : rs.eth0;
      rs.host.addAddress(d, { address: VIP, prefixLen: Number(len), scope: Scope.global, label: d.name });
    }
  }
  return { sim, sink, client, hosts };
}

function answerersAndWinner(placement: Placement, arpIgnore: number): { answers: string[]; winner: string } {
  const w = world(placement, arpIgnore);
  // The client pings the VIP: its ARP request goes out first.
  ipLocalOut(w.client.host, { dst: VIP, protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 56 } } });
  w.sim.runUntil(2 * SECOND);
  const replies = w.sink.events.filter(
    (e): e is Extract<TraceEvent, { kind: 'tx' }> => e.kind === 'tx' && e.pkt.arp?.op === 'reply' && e.pkt.arp.spa === '192.168.1.110',
  );
  const answers = [...new Set(replies.map((e) => e.host!))].sort();
  const n = w.client.host.neigh.lookup(VIP, w.client.eth0);
  const macToHost: Record<string, string> = { '02:00:00:00:00:01': 'director', '02:00:00:00:00:02': 'rs1', '02:00:00:00:00:03': 'rs2' };
  return { answers, winner: n?.mac ? macToHost[n.mac] : 'none' };
}

const ALL = ['director', 'rs1', 'rs2'];
const D = ['director'];
const table: Array<[Placement, Record<number, [string[], string]>]> = [
  ['none', { 0: [D, 'director'], 1: [D, 'director'], 2: [D, 'director'], 3: [D, 'director'], 8: [D, 'director'] }],
  ['eth0/24', { 0: [ALL, 'rs2'], 1: [ALL, 'rs2'], 2: [ALL, 'rs2'], 3: [ALL, 'rs2'], 8: [D, 'director'] }],
  ['eth0/32', { 0: [ALL, 'rs2'], 1: [ALL, 'rs2'], 2: [ALL, 'rs2'], 3: [ALL, 'rs2'], 8: [D, 'director'] }],
  ['lo/32', { 0: [ALL, 'rs2'], 1: [D, 'director'], 2: [D, 'director'], 3: [ALL, 'rs2'], 8: [D, 'director'] }],
  ['lo/24', { 0: [ALL, 'rs2'], 1: [D, 'director'], 2: [D, 'director'], 3: [ALL, 'rs2'], 8: [D, 'director'] }],
];

describe('who answers who-has VIP, and whose MAC the client keeps (linux-arp-observed.md)', () => {
  for (const [placement, cols] of table) {
    for (const [lvl, [answers, winner]] of Object.entries(cols)) {
      it(`VIP ${placement}, arp_ignore ${lvl}: ${answers.join(' ')} answer / ${winner} wins`, () => {
        const r = answerersAndWinner(placement, Number(lvl));
        expect(r.answers).toEqual([...answers].sort());
        expect(r.winner).toBe(winner);
      });
    }
  }
});

describe('neighbour timing (observed rule 8)', () => {
  it('an unanswered lookup sends 3 broadcasts 1 s apart and goes FAILED 3 s after the first', () => {
    const w = world('none', 0);
    const ghost = ip('192.168.1.77');
    ipLocalOut(w.client.host, { dst: ghost, protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 56 } } });
    w.sim.runUntil(5 * SECOND);
    const reqs = w.sink.events.filter((e) => e.kind === 'tx' && e.host === 'client' && e.pkt.arp?.tpa === '192.168.1.77');
    expect(reqs.map((e) => e.t)).toEqual([0, SECOND, 2 * SECOND]);
    const failed = w.sink.events.find((e) => e.kind === 'neigh' && e.host === 'client' && e.state === 'FAILED');
    expect(failed?.t).toBe(3 * SECOND);
    const drop = w.sink.events.find((e) => e.kind === 'drop' && e.reason === 'arp-failed');
    expect(drop?.t).toBe(3 * SECOND);
  });

  it('a request aimed at us overrides the sender entry at once, ignoring locktime (rule 5)', () => {
    const w = world('eth0/24', 0, 0);
    ipLocalOut(w.client.host, { dst: VIP, protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: 1, payload: { length: 56 } } });
    w.sim.runUntil(100_000_000);
    const n = w.client.host.neigh.lookup(VIP, w.client.eth0)!;
    expect(n.mac).toBe('02:00:00:00:00:03');
    // rs1 sends a packet from the VIP to the client: with arp_announce 0 it asks "who-has client tell VIP".
    const rs1 = w.hosts.get('rs1')!;
    // rs1 learned the client from its request; forget it so rs1 must ask (as after the entry expired).
    rs1.host.neigh.delete(rs1.host.neigh.lookup(ip('192.168.1.254'), rs1.eth0)!);
    ipLocalOut(rs1.host, { dst: ip('192.168.1.254'), src: VIP, protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 2, sequence: 1, payload: { length: 8 } } });
    w.sim.runUntil(200_000_000);
    expect(n.mac).toBe('02:00:00:00:00:02');
  });
});
