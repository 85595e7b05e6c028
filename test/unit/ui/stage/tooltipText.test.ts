import { describe, expect, it } from 'vitest';
import type { DropEvent } from '../../../../src/trace/index.ts';
import { describeTopology, dropTooltip, hostTooltip, packetTooltip, switchTooltip } from '../../../../src/ui/stage/tooltipText.ts';
import { FlightIndex } from '../../../../src/ui/viewmodel/animation.ts';
import { runScenario } from '../lessonTraces.ts';

describe('stage tooltips', () => {
  const { events, topology, segmentOf } = runScenario('lessons/dr-basic');
  const index = new FlightIndex(segmentOf).addAll(events);

  it('name a packet\'s kind with its letter, its headers, its id and where it goes', () => {
    const tx = events.find((e) => e.kind === 'tx' && e.host === 'client')!;
    const f = index.at(tx.t).find((x) => x.txSeq === tx.seq)!;
    const lines = packetTooltip(f, 'arp');
    expect(lines[0]).toBe('ARP packet [A]');
    expect(lines[1]).toMatch(new RegExp(`#${f.pid}$`));
    expect(lines[2]).toBe(`client/eth0 → ${f.end!.host}/${f.end!.iface} (segment wan)`);
  });

  it('say that a packet is a tunnel and that it will be dropped, with the reason', () => {
    const f = {
      segment: 'lan',
      frame: 1,
      pid: 7,
      pkt: { pid: 7, ip: { src: '1.1.1.1', dst: '2.2.2.2', ttl: 64, proto: 'ipip', id: 1, len: 60 }, inner: { ip: { src: '3.3.3.3', dst: '4.4.4.4', ttl: 64, proto: 'tcp', id: 2, len: 40 }, tcp: { sport: 1, dport: 80, flags: 'S', seq: 0, ack: 0, len: 0 } } },
      from: { host: 'director', iface: 'eth0' },
      t0: 0,
      txSeq: 1,
      end: { kind: 'drop' as const, t: 5, seq: 2, host: 'rs1', iface: 'eth0', reason: 'host-down' as const, detail: 'rs1 is off' },
      fraction: 0.5,
    };
    const lines = packetTooltip(f, 'syn');
    expect(lines[0]).toBe('SYN packet [S], IPIP tunnel (a packet inside a packet)');
    expect(lines).toContain('will be dropped: host-down (rs1 is off)');
  });

  it('give a drop\'s reason, detail and place', () => {
    const d = events.find((e): e is DropEvent => e.kind === 'drop')!;
    const lines = dropTooltip(d);
    expect(lines[0]).toBe(`Dropped at ${d.host}/${d.iface}: arp-ignored`);
    expect(lines[1]).toBe(d.detail);
    expect(dropTooltip({ kind: 'drop', t: 0, seq: 0, segment: 'lan', frame: 2, reason: 'link-down' })).toEqual(['Dropped at switch lan: link-down']);
  });

  it('describe hosts, switches and the whole topology in words', () => {
    const router = hostTooltip(topology.hosts.find((h) => h.name === 'router')!);
    expect(router[0]).toBe('router');
    expect(router[1]).toBe('router');
    expect(router).toContain('eth0  on wan  10.0.0.1/24  02:00:00:00:00:fd');
    expect(switchTooltip(topology.switches.find((s) => s.name === 'lan')!)).toEqual(['switch of segment lan', 'cabled: router, director, rs1, rs2']);
    expect(describeTopology(topology)).toBe(
      'Network topology. Hosts: client (client), router (router), director (director (load balancer)), rs1 (real server), rs2 (real server). Segments: wan: client, router; lan: router, director, rs1, rs2.',
    );
  });
});
