import { describe, expect, it } from 'vitest';
import type { PacketSummary, TraceEvent } from '../../../src/trace/index.ts';
import { eventText, packetText, placeText } from '../../../src/ui/eventText.ts';

const eth = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 'ipv4' };
const ip = { src: '10.0.0.1', dst: '10.0.0.2', ttl: 64, id: 7, len: 84 };

describe('packetText', () => {
  it('describes ARP requests and replies', () => {
    const arp = { sha: '02:00:00:00:00:01', spa: '10.0.0.1', tha: '00:00:00:00:00:00', tpa: '10.0.0.2' };
    expect(packetText({ pid: 1, eth: { ...eth, type: 'arp' }, arp: { op: 'request', ...arp } })).toBe('ARP request who-has 10.0.0.2 tell 10.0.0.1 #1');
    expect(packetText({ pid: 2, arp: { op: 'reply', ...arp, sha: '02:00:00:00:00:02', spa: '10.0.0.2' } })).toBe('ARP reply 10.0.0.2 is-at 02:00:00:00:00:02 #2');
  });

  it('describes TCP, UDP and ICMP echo with ports, flags and ids', () => {
    const tcp: PacketSummary = { pid: 3, eth, ip: { ...ip, proto: 'tcp' }, tcp: { sport: 40000, dport: 80, flags: 'SA', seq: 1, ack: 2, len: 0 } };
    expect(packetText(tcp)).toBe('IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [SA], seq 1, ack 2, length 0 #3');
    expect(packetText({ pid: 4, ip: { ...ip, proto: 'udp' }, udp: { sport: 5000, dport: 53, len: 12 } })).toBe('IP 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12 #4');
    expect(packetText({ pid: 5, parent: 4, ip: { ...ip, proto: 'icmp' }, icmp: { type: 0, code: 0, id: 9, seq: 1 } })).toBe('IP 10.0.0.1 > 10.0.0.2: ICMP echo reply, id 9, seq 1, ttl 64 #5<4');
  });

  it('shows the packet an ICMP error quotes and the packet inside an IPIP tunnel', () => {
    const quoted = { ip: { ...ip, src: '10.0.0.2', dst: '10.0.0.9', proto: 'udp' }, udp: { sport: 1, dport: 2, len: 0 } };
    expect(packetText({ pid: 6, ip: { ...ip, proto: 'icmp' }, icmp: { type: 3, code: 3 }, inner: quoted })).toBe(
      'IP 10.0.0.1 > 10.0.0.2: ICMP unreachable (port), ttl 64 about [IP 10.0.0.2.1 > 10.0.0.9.2: UDP, length 0] #6',
    );
    expect(packetText({ pid: 8, parent: 7, ip: { ...ip, proto: 'ipip' }, inner: quoted })).toBe('IP 10.0.0.1 > 10.0.0.2: IPIP [IP 10.0.0.2.1 > 10.0.0.9.2: UDP, length 0] #8<7');
  });
});

describe('eventText and placeText', () => {
  it('says why a packet was dropped, and where a switch dropped it', () => {
    const e: TraceEvent = { t: 5, seq: 1, kind: 'drop', segment: 'lan', frame: 3, reason: 'link-queue-full', pkt: { pid: 1, ip: { ...ip, proto: 17 } } };
    expect(eventText(e)).toBe('link-queue-full: IP 10.0.0.1 > 10.0.0.2: proto 17, length 84 #1');
    expect(placeText(e)).toBe('switch lan');
    expect(eventText({ t: 0, seq: 0, kind: 'drop', host: 'h1', reason: 'no-route', detail: 'ENETUNREACH' })).toBe('no-route (ENETUNREACH):');
  });

  it('summarises commands, neighbour changes, routes and TCP state changes in one line', () => {
    expect(eventText({ t: 0, seq: 0, kind: 'command', host: 'h1', run: 'ping -c 1 10.0.0.2', exit: 0, output: '\nPING 10.0.0.2 56(84) bytes\nmore\n' })).toBe(
      '$ ping -c 1 10.0.0.2 → exit 0 | PING 10.0.0.2 56(84) bytes',
    );
    expect(eventText({ t: 0, seq: 0, kind: 'neigh', host: 'h1', iface: 'eth0', address: '10.0.0.2', state: 'REACHABLE', lladdr: '02:00:00:00:00:02' })).toBe(
      '10.0.0.2 REACHABLE lladdr 02:00:00:00:00:02',
    );
    expect(eventText({ t: 0, seq: 0, kind: 'neigh', host: 'h1', iface: 'eth0', address: '10.0.0.2', state: 'INCOMPLETE' })).toBe('10.0.0.2 INCOMPLETE');
    expect(eventText({ t: 0, seq: 0, kind: 'neigh', host: 'h1', iface: 'eth0', address: '10.0.0.2', state: 'STALE', lladdr: '02:00:00:00:00:02', event: 'periodic-gc' })).toBe(
      '10.0.0.2 STALE lladdr 02:00:00:00:00:02 removed (periodic garbage collection)',
    );
    expect(eventText({ t: 0, seq: 0, kind: 'neigh', host: 'h1', iface: 'eth0', address: '10.0.0.3', state: 'NONE', event: 'table-full' })).toBe(
      '10.0.0.3: neighbor table overflow! (no entry made)',
    );
    expect(eventText({ t: 0, seq: 0, kind: 'route', host: 'r', pkt: { pid: 2, ip: { ...ip, proto: 6 } }, decision: 'forward', via: '10.0.1.1', oif: 'eth1' })).toBe(
      'forward via 10.0.1.1 dev eth1: IP 10.0.0.1 > 10.0.0.2: proto 6, length 84 #2',
    );
    expect(eventText({ t: 0, seq: 0, kind: 'tcp', host: 'h1', local: '10.0.0.1:40000', remote: '10.0.0.2:80', from: 'SYN_SENT', to: 'ESTABLISHED' })).toBe(
      '10.0.0.1:40000 ⇄ 10.0.0.2:80: SYN_SENT → ESTABLISHED',
    );
    const place: TraceEvent = { t: 0, seq: 0, kind: 'link', host: 'h1', iface: 'eth0', state: 'down' };
    expect([eventText(place), placeText(place)]).toEqual(['down', 'eth0']);
  });

  it('still shows an event kind it does not know, as its fields', () => {
    // (`vrrp` was the example until issue 5 made it a kind; `ospf` is one the lab does not have.)
    const future = { t: 1, seq: 2, kind: 'ospf', host: 'd1', state: 'FULL', prio: 150 } as unknown as TraceEvent;
    expect(eventText(future)).toBe('{"state":"FULL","prio":150}');
  });
});

describe('eventText for the daemons (issue 5)', () => {
  it('health, vrrp and VRRP packets read as sentences', () => {
    const health = { t: 1, seq: 1, kind: 'health', host: 'lvs', daemon: 'ldirectord', service: 'TCP 10.0.0.100:80', server: '10.0.0.21:80', event: 'down', check: 'negotiate', action: 'removed', detail: 'timeout' } as TraceEvent;
    expect(eventText(health)).toBe('ldirectord: 10.0.0.21:80 of TCP 10.0.0.100:80 down (negotiate) → removed: timeout');
    const vrrp = { t: 1, seq: 1, kind: 'vrrp', host: 'lvs2', instance: 'VI_1', vrid: 51, from: 'BACKUP', to: 'MASTER', priority: 100, reason: 'master down timer expired' } as TraceEvent;
    expect(eventText(vrrp)).toBe('VRRP VI_1 (vrid 51, prio 100): BACKUP → MASTER: master down timer expired');
    const advert = { t: 1, seq: 1, kind: 'tx', host: 'lvs1', frame: 1, pkt: { pid: 3, ip: { src: '10.0.0.2', dst: '224.0.0.18', ttl: 255, proto: 'vrrp', id: 1, len: 40 }, vrrp: { v: 2, vrid: 51, prio: 150, int: 1, addrs: 1 } } } as TraceEvent;
    expect(eventText(advert)).toBe('IP 10.0.0.2 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 150, intvl 1s, addrs 1, ttl 255 #3');
  });
});
