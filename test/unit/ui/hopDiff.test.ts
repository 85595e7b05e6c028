import { describe, expect, it } from 'vitest';
import type { PacketSummary } from '../../../src/trace/index.ts';
import { diffSummaries, hopDiff, type FieldChange } from '../../../src/ui/viewmodel/hopDiff.ts';
import { packetJourney, type PacketJourney } from '../../../src/ui/viewmodel/packetJourney.ts';
import { firstTx, runScenario } from './lessonTraces.ts';

/** The journey's hops as `kind host: [paths that changed]`. */
function changesPerHop(j: PacketJourney): string[] {
  return j.hops.map((h, i) => `${h.kind} ${h.host}: ${hopDiff(j, i).map((c) => c.path).join(' ')}`);
}

function at(j: PacketJourney, kind: string, host: string): FieldChange[] {
  const i = j.hops.findIndex((h) => h.kind === kind && h.host === host);
  expect(i).toBeGreaterThanOrEqual(0);
  return hopDiff(j, i);
}

const isSyn = (p: PacketSummary) => p.tcp?.flags === 'S';
const MAC = { client: '02:00:00:00:00:0c', routerWan: '02:00:00:00:00:fd', routerLan: '02:00:00:00:01:fe', director: '02:00:00:00:01:01', rs1: '02:00:00:00:01:02', rs2: '02:00:00:00:01:03' };

describe('hopDiff on the shipped lessons', () => {
  it('DR: the director changes only the MAC addresses (and the TTL, forwarding); the IP addresses and ports stay', () => {
    const { events, segmentOf } = runScenario('lessons/dr-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    const rs = j.hops[5].host as 'rs1' | 'rs2';
    expect(at(j, 'tx', 'director')).toEqual([
      { path: 'eth.src', kind: 'changed', before: MAC.routerLan, after: MAC.director },
      { path: 'eth.dst', kind: 'changed', before: MAC.director, after: MAC[rs] },
      // ip_vs_xmit.c decrement_ttl(): IPVS forwarding decrements the TTL like a router.
      { path: 'ip.ttl', kind: 'changed', before: 63, after: 62 },
    ]);
    // On a cable nothing changes; the router rewrites the MACs and decrements the TTL.
    expect(changesPerHop(j)).toEqual([
      'tx client: ',
      'rx router: ',
      'tx router: eth.src eth.dst ip.ttl',
      'rx director: ',
      'tx director: eth.src eth.dst ip.ttl',
      `rx ${rs}: `,
      `deliver ${rs}: `,
    ]);
  });

  it('NAT: the destination address and port are rewritten on the way in, the source on the way back', () => {
    const { events, segmentOf } = runScenario('lessons/nat-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    const inbound = at(j, 'tx', 'director');
    const rsAddr = inbound.find((c) => c.path === 'ip.dst')?.after;
    expect(['192.168.1.2', '192.168.1.3']).toContain(rsAddr);
    expect(inbound.filter((c) => !c.path.startsWith('eth.'))).toEqual([
      { path: 'ip.dst', kind: 'changed', before: '10.0.0.100', after: rsAddr },
      { path: 'ip.ttl', kind: 'changed', before: 64, after: 63 },
      { path: 'tcp.dport', kind: 'changed', before: 80, after: 8080 },
    ]);
    expect(inbound.map((c) => c.path)).toEqual(['eth.src', 'eth.dst', 'ip.dst', 'ip.ttl', 'tcp.dport']);

    const rs = j.hops[3].host!;
    const back = packetJourney(events, firstTx(events, rs, (p) => p.tcp?.flags === 'SA').pid, segmentOf)!;
    expect(at(back, 'tx', 'director').filter((c) => !c.path.startsWith('eth.'))).toEqual([
      { path: 'ip.src', kind: 'changed', before: rsAddr, after: '10.0.0.100' },
      { path: 'ip.ttl', kind: 'changed', before: 64, after: 63 },
      { path: 'tcp.sport', kind: 'changed', before: 8080, after: 80 },
    ]);
  });

  it('TUN: an outer IP header appears at the director and goes at the real server', () => {
    const { events, segmentOf } = runScenario('lessons/tun-basic');
    const j = packetJourney(events, firstTx(events, 'client', isSyn).pid, segmentOf)!;
    const rs = j.hops[7].host!;
    const encap = at(j, 'tx', 'director');
    expect(encap.filter((c) => !c.path.startsWith('eth.'))).toEqual([
      { path: 'ip', kind: 'added', after: `172.16.0.1 > ${rs === 'rs1' ? '172.17.0.2' : '172.17.0.3'}` },
      // The inner packet keeps its addresses and ports; IPVS decremented its TTL before wrapping it.
      { path: 'inner.ip.ttl', kind: 'changed', before: 63, after: 62 },
    ]);
    expect(changesPerHop(j)).toEqual([
      'tx client: ',
      'rx router: ',
      'tx router: eth.src eth.dst ip.ttl',
      'rx director: ',
      'tx director: eth.src eth.dst ip inner.ip.ttl',
      'rx router: ',
      // The router sees only the outer header: its TTL goes down, the inner one stays.
      'tx router: eth.src eth.dst ip.ttl',
      `rx ${rs}: `,
      `deliver ${rs}: ip`,
    ]);
    expect(at(j, 'deliver', rs)[0].kind).toBe('removed');
  });
});

describe('diffSummaries', () => {
  const ip = { src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, proto: 'udp', id: 9, len: 40 };
  it('reports a header that appears or goes, and fields only one side has', () => {
    const a: PacketSummary = { pid: 1, ip, udp: { sport: 1, dport: 2, len: 12 } };
    const b: PacketSummary = { pid: 2, ip: { ...ip, proto: 'icmp' }, icmp: { type: 0, code: 0, id: 5, seq: 1 } };
    expect(diffSummaries(a, b)).toEqual([
      { path: 'ip.proto', kind: 'changed', before: 'udp', after: 'icmp' },
      { path: 'udp', kind: 'removed' },
      { path: 'icmp', kind: 'added' },
    ]);
    expect(diffSummaries({ pid: 3, ip: { ...ip, proto: 'icmp' }, icmp: { type: 8, code: 0, id: 5 } }, b)).toEqual([
      { path: 'icmp.type', kind: 'changed', before: 8, after: 0 },
      { path: 'icmp.seq', kind: 'added', after: 1 },
    ]);
  });

  it('compares the quoted packet of ICMP errors under inner.', () => {
    const quoted = { ip: { ...ip, src: '192.168.1.2' }, udp: { sport: 1, dport: 2, len: 0 } };
    const before: PacketSummary = { pid: 1, ip: { ...ip, proto: 'icmp' }, icmp: { type: 3, code: 3 }, inner: quoted };
    const after: PacketSummary = { pid: 2, ip: { ...ip, proto: 'icmp' }, icmp: { type: 3, code: 3 }, inner: { ...quoted, ip: { ...quoted.ip, src: '10.0.0.100' } } };
    expect(diffSummaries(before, after)).toEqual([{ path: 'inner.ip.src', kind: 'changed', before: '192.168.1.2', after: '10.0.0.100' }]);
  });

  it('does not count the missing Ethernet header of a delivered packet as a change, and finds none between equals', () => {
    const frame: PacketSummary = { pid: 1, eth: { src: 'a', dst: 'b', type: 'ipv4' }, ip };
    expect(diffSummaries(frame, { pid: 1, ip })).toEqual([]);
    expect(diffSummaries(frame, frame)).toEqual([]);
  });
});
