import { describe, expect, it } from 'vitest';
import type { PacketSummary, TraceEvent } from '../../../src/trace/index.ts';
import { derive, PacketIndex, packetJourney, type PacketJourney } from '../../../src/ui/viewmodel/packetJourney.ts';
import { firstTx, runScenario } from './lessonTraces.ts';

/** `kind host/iface #pid` per hop, and what each hop follows from. */
function places(j: PacketJourney): string[] {
  return j.hops.map((h) => `${h.kind} ${h.host ?? `switch ${h.segment}`}/${h.iface ?? ''} #${h.pid}${h.via.length > 0 ? ` (${h.via.join('+')})` : ''}`);
}

const isSyn = (p: PacketSummary) => p.tcp?.flags === 'S';

describe('packetJourney on the shipped lessons', () => {
  it('follows a DR request from the client to a real server, one packet id all the way', () => {
    const { events, segmentOf } = runScenario('lessons/dr-basic');
    const syn = firstTx(events, 'client', isSyn);
    const j = packetJourney(events, syn.pid, segmentOf)!;
    expect(j.pids).toEqual([syn.pid]);
    const rs = j.hops[5].host!;
    expect(['rs1', 'rs2']).toContain(rs);
    expect(places(j)).toEqual([
      `tx client/eth0 #${syn.pid}`,
      `rx router/eth0 #${syn.pid}`,
      `tx router/eth1 #${syn.pid}`,
      `rx director/eth0 #${syn.pid}`,
      // IPVS takes the locally routed packet and sends it on: no delivery at the director.
      `tx director/eth0 #${syn.pid}`,
      `rx ${rs}/eth0 #${syn.pid}`,
      `deliver ${rs}/eth0 #${syn.pid}`,
    ]);
    expect(j.hops.map((h) => h.prev)).toEqual([undefined, 0, 1, 2, 3, 4, 5]);
    // Times never go backwards along the journey.
    for (let i = 1; i < j.hops.length; i++) expect(j.hops[i].t).toBeGreaterThanOrEqual(j.hops[i - 1].t);
  });

  it('follows a NAT request across the rewrite, and the reply back across its own', () => {
    const { events, segmentOf } = runScenario('lessons/nat-basic');
    const syn = firstTx(events, 'client', isSyn);
    const j = packetJourney(events, syn.pid, segmentOf)!;
    expect(j.pids).toHaveLength(2);
    const [orig, rewritten] = j.pids;
    expect(orig).toBe(syn.pid);
    const rs = j.hops[3].host!;
    expect(places(j)).toEqual([`tx client/eth0 #${orig}`, `rx director/eth0 #${orig}`, `tx director/eth1 #${rewritten} (rewrite)`, `rx ${rs}/eth0 #${rewritten}`, `deliver ${rs}/eth0 #${rewritten}`]);
    // Asking by the rewritten id gives the same journey (lineage goes up as well as down).
    expect(packetJourney(events, rewritten, segmentOf)).toEqual(j);

    const synAck = firstTx(events, rs, (p) => p.tcp?.flags === 'SA');
    const back = packetJourney(events, synAck.pid, segmentOf)!;
    expect(back.pids).toHaveLength(2);
    expect(places(back)).toEqual([
      `tx ${rs}/eth0 #${back.pids[0]}`,
      `rx director/eth1 #${back.pids[0]}`,
      `tx director/eth0 #${back.pids[1]} (rewrite)`,
      `rx client/eth0 #${back.pids[1]}`,
      `deliver client/eth0 #${back.pids[1]}`,
    ]);
    // The reply is a packet of its own, not an offshoot of the request.
    expect(j.offshoots).toEqual([]);
  });

  it('follows a TUN request into the tunnel and out of it at the real server', () => {
    const { events, segmentOf } = runScenario('lessons/tun-basic');
    const syn = firstTx(events, 'client', isSyn);
    const j = packetJourney(events, syn.pid, segmentOf)!;
    expect(j.pids).toHaveLength(3);
    const [orig, outer, inner] = j.pids;
    const rs = j.hops[7].host!;
    expect(places(j)).toEqual([
      `tx client/eth0 #${orig}`,
      `rx router/eth0 #${orig}`,
      `tx router/eth1 #${orig}`,
      `rx director/eth0 #${orig}`,
      `tx director/eth0 #${outer} (encap)`,
      `rx router/eth1 #${outer}`,
      `tx router/eth2 #${outer}`,
      `rx ${rs}/eth0 #${outer}`,
      // Decapsulated on the real server's tunl0 and delivered there.
      `deliver ${rs}/tunl0 #${inner} (decap)`,
    ]);
  });

  it('lists an echo reply as an offshoot of the request, which ends delivered', () => {
    const { events, segmentOf } = runScenario('examples/two-hosts-ping');
    const req = firstTx(events, 'h1', (p) => p.icmp?.type === 8);
    const j = packetJourney(events, req.pid, segmentOf)!;
    expect(places(j)).toEqual([`tx h1/eth0 #${req.pid}`, `rx h2/eth0 #${req.pid}`, `deliver h2/eth0 #${req.pid}`]);
    expect(j.offshoots.map((o) => [o.parent, o.derivation, o.host, o.pkt.icmp?.type])).toEqual([[req.pid, 'reply', 'h2', 0]]);
    // The reply's own journey starts at h2: its parent is a different conversation direction.
    const reply = packetJourney(events, j.offshoots[0].pid, segmentOf)!;
    expect(reply.root).toBe(j.offshoots[0].pid);
    expect(places(reply)).toEqual([`tx h2/eth0 #${reply.root}`, `rx h1/eth0 #${reply.root}`, `deliver h1/eth0 #${reply.root}`]);
  });

  it('is the same when the index is fed event by event as when built at once', () => {
    const { events, segmentOf } = runScenario('lessons/nat-basic');
    const index = new PacketIndex(segmentOf);
    const syn = firstTx(events, 'client', isSyn);
    let asked = false;
    let before: PacketJourney | undefined;
    for (const e of events) {
      // Just before the SYN's first event the index has never heard of it.
      if (!asked && 'pkt' in e && e.pkt?.pid === syn.pid) {
        before = index.journey(syn.pid);
        asked = true;
      }
      index.add(e);
    }
    expect(asked).toBe(true);
    expect(before).toBeUndefined();
    expect(index.journey(syn.pid)).toEqual(packetJourney(events, syn.pid, segmentOf));
    expect(index.journey(123456789)).toBeUndefined();
  });
});

describe('derive and a drop at a switch', () => {
  const ip = (src: string, dst: string, proto = 'tcp') => ({ src, dst, ttl: 64, proto, id: 1, len: 40 });
  const tcp = { sport: 1000, dport: 80, flags: 'S', seq: 1, ack: 0, len: 0 };

  it('tells encapsulation, decapsulation, ICMP errors, answers and rewrites apart', () => {
    const req: PacketSummary = { pid: 1, ip: ip('10.0.0.2', '10.0.0.100'), tcp };
    expect(derive(req, { pid: 2, parent: 1, ip: ip('10.0.0.1', '10.0.1.3', 'ipip'), inner: { ip: ip('10.0.0.2', '10.0.0.100'), tcp } })).toBe('encap');
    expect(derive({ pid: 2, ip: ip('10.0.0.1', '10.0.1.3', 'ipip'), inner: { ip: ip('10.0.0.2', '10.0.0.100'), tcp } }, req)).toBe('decap');
    const err: PacketSummary = { pid: 3, ip: ip('10.0.0.254', '10.0.0.2', 'icmp'), icmp: { type: 3, code: 1 }, inner: { ip: ip('10.0.0.2', '10.0.0.100'), tcp } };
    expect(derive(req, err)).toBe('icmp-error');
    // NAT of an ICMP error is a rewrite of the error, not a new error.
    expect(derive(err, { ...err, pid: 4, ip: ip('10.0.0.254', '192.168.1.2', 'icmp') })).toBe('rewrite');
    expect(derive(req, { pid: 5, ip: ip('10.0.0.100', '10.0.0.2'), tcp: { ...tcp, flags: 'RA' } })).toBe('reply');
    expect(derive(req, { pid: 6, ip: ip('10.0.0.2', '192.168.1.3'), tcp: { ...tcp, dport: 8080 } })).toBe('rewrite');
  });

  it('ends a frame dropped at a switch there, linked to its tx, with its reason; the error it causes is an offshoot', () => {
    const seg = (host: string, iface: string) => (iface === 'eth0' && (host === 'a' || host === 'b') ? 'lan' : undefined);
    const pkt: PacketSummary = { pid: 7, eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 'ipv4' }, ip: ip('10.0.0.1', '10.0.0.2'), tcp };
    const err: PacketSummary = { pid: 8, parent: 7, ip: ip('10.0.0.1', '10.0.0.1', 'icmp'), icmp: { type: 3, code: 1 }, inner: { ip: ip('10.0.0.1', '10.0.0.2'), tcp } };
    const events: TraceEvent[] = [
      { t: 10, seq: 1, kind: 'tx', host: 'a', iface: 'eth0', frame: 5, pkt },
      // Another segment's frame 5: must not be taken for this one.
      { t: 11, seq: 2, kind: 'tx', host: 'c', iface: 'eth0', frame: 5, pkt: { ...pkt, pid: 99 } },
      { t: 20, seq: 3, kind: 'drop', segment: 'lan', frame: 5, pkt, reason: 'link-queue-full', detail: 'port toward b/eth0 full' },
      { t: 30, seq: 4, kind: 'route', host: 'a', pkt: err, decision: 'local' },
    ];
    const j = packetJourney(events, 7, seg)!;
    expect(j.hops.map((h) => [h.kind, h.segment, h.reason, h.prev])).toEqual([
      ['tx', undefined, undefined, undefined],
      ['drop', 'lan', 'link-queue-full', 0],
    ]);
    expect(j.offshoots.map((o) => [o.pid, o.derivation])).toEqual([[8, 'icmp-error']]);
  });
});
