import { describe, expect, it } from 'vitest';
import type { PacketSummary } from '../../../src/trace/index.ts';
import { headerKind, PACKET_KINDS, PACKET_STYLES, PacketClassifier, type PacketKind } from '../../../src/ui/viewmodel/packetKinds.ts';
import { runScenario } from './lessonTraces.ts';

const eth = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 'ipv4' };
const ip = (proto: string | number) => ({ src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, proto, id: 1, len: 40 });
const tcp = (flags: string, len = 0) => ({ sport: 1000, dport: 80, flags, seq: 1, ack: 1, len });

describe('headerKind', () => {
  it('classes packets by their headers', () => {
    const cases: Array<[PacketSummary, PacketKind]> = [
      [{ pid: 1, eth: { ...eth, type: 'arp' }, arp: { op: 'request', sha: eth.src, spa: '10.0.0.1', tha: '00:00:00:00:00:00', tpa: '10.0.0.2' } }, 'arp'],
      [{ pid: 2, eth, ip: ip('tcp'), tcp: tcp('S') }, 'syn'],
      [{ pid: 3, eth, ip: ip('tcp'), tcp: tcp('SA') }, 'syn'],
      [{ pid: 4, eth, ip: ip('tcp'), tcp: tcp('PA', 100) }, 'data'],
      [{ pid: 5, eth, ip: ip('tcp'), tcp: tcp('A') }, 'ack-fin'],
      [{ pid: 6, eth, ip: ip('tcp'), tcp: tcp('FA') }, 'ack-fin'],
      [{ pid: 7, eth, ip: ip('tcp'), tcp: tcp('R') }, 'ack-fin'],
      [{ pid: 8, eth, ip: ip('udp'), udp: { sport: 1, dport: 53, len: 20 } }, 'data'],
      [{ pid: 9, eth, ip: ip('icmp'), icmp: { type: 8, code: 0, id: 1, seq: 1 } }, 'icmp'],
      [{ pid: 10, eth, ip: ip('icmp'), icmp: { type: 3, code: 3 }, inner: { ip: ip('tcp'), tcp: tcp('S') } }, 'icmp'],
      [{ pid: 11, eth, ip: ip('vrrp'), vrrp: { v: 2, vrid: 51, prio: 150, int: 1, addrs: 1 } }, 'vrrp'],
      // A tunnel is classed by what it carries.
      [{ pid: 12, eth, ip: ip('ipip'), inner: { ip: ip('tcp'), tcp: tcp('S') } }, 'syn'],
      [{ pid: 13, eth: { ...eth, type: 0x88cc } }, 'other'],
      [{ pid: 14, eth, ip: ip(47) }, 'other'],
    ];
    expect(cases.map(([p]) => headerKind(p))).toEqual(cases.map(([, k]) => k));
  });
});

describe('the palette', () => {
  it('gives every class a distinct Okabe–Ito colour, shape and letter', () => {
    const styles = PACKET_KINDS.map((k) => PACKET_STYLES[k]);
    expect(new Set(styles.map((s) => s.color)).size).toBe(PACKET_KINDS.length);
    expect(new Set(styles.map((s) => s.shape)).size).toBe(PACKET_KINDS.length);
    expect(new Set(styles.map((s) => s.letter)).size).toBe(PACKET_KINDS.length);
    const okabeIto = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];
    for (const s of styles) expect(okabeIto).toContain(s.color);
  });
});

describe('PacketClassifier', () => {
  it('calls the checker connections ldirectord opens health checks, and nothing the director forwards', () => {
    const { events, topology } = runScenario('lessons/health-check-failover');
    const checkers = topology.hosts.filter((h) => h.daemons.length > 0).map((h) => h.name);
    expect(checkers).toEqual(['director']);
    const c = new PacketClassifier(checkers);
    const counts = new Map<PacketKind, number>();
    const healthEnds = new Set<string>();
    for (const e of events) {
      c.observe(e);
      if (e.kind !== 'tx') continue;
      const k = c.classify(e.pkt);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      if (k === 'health') healthEnds.add([e.pkt.ip!.src, e.pkt.ip!.dst].sort().join(' '));
    }
    // Every 2 s a check of each real server, by the director from its own address, both ways.
    expect(healthEnds).toEqual(new Set(['192.168.1.1 192.168.1.11', '192.168.1.1 192.168.1.12']));
    expect(counts.get('health')).toBeGreaterThan(40);
    // The client's requests, forwarded through the director, stay SYN / data / ACK.
    expect(counts.get('syn')).toBeGreaterThan(0);
    expect(counts.get('data')).toBeGreaterThan(0);
    expect(counts.get('arp')).toBeGreaterThan(0);
    // Without the daemon host, the same trace has no health checks at all.
    const blind = new PacketClassifier([]).observeAll(events);
    expect(events.some((e) => e.kind === 'tx' && blind.classify(e.pkt) === 'health')).toBe(false);
  });

  it('finds VRRP adverts in the VRRP lesson', () => {
    const { events, topology } = runScenario('lessons/vrrp-failover');
    const c = new PacketClassifier(topology.hosts.filter((h) => h.daemons.length > 0).map((h) => h.name)).observeAll(events);
    const vrrp = events.filter((e) => e.kind === 'tx' && c.classify(e.pkt) === 'vrrp');
    expect(vrrp.length).toBeGreaterThan(3);
    for (const e of vrrp) expect(e.kind === 'tx' && e.pkt.ip?.dst).toBe('224.0.0.18');
  });
});
