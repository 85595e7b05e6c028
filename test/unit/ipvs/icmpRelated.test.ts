import { describe, expect, it } from 'vitest';
import { GreetingServer } from '../../../src/apps/index.ts';
import { ipvsOf } from '../../../src/ipvs/index.ts';
import type { Host, TcpConnection } from '../../../src/net/index.ts';
import { buildScenario, loadScenario } from '../../../src/scenario/index.ts';
import { MS } from '../../../src/sim/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';
import { parseIpv4, payloadOfLength, payloadText, textPayload } from '../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;
const VIP = '192.168.1.110';

/**
 * ICMP errors about IPVS connections (ip_vs_out_icmp, ip_vs_in_icmp) through real packets. The client c
 * (10.0.0.2) reaches the cluster through router r; the director d holds the VIP on its lan side and has three
 * kinds of real server: rs1 behind it for NAT (10.2.1.2, default route via the director), rs2 beside it for DR
 * (192.168.1.2, VIP on lo), and rs3 for TUN (10.4.0.2, VIP on lo and tunl0 up) beyond a second router r2 whose
 * link to rs3 has an MTU of 1400.
 */
function world(directorCommands: string[], clientCommands: string[] = []) {
  const arpQuiet = `      net.ipv4.conf.all.arp_ignore: 1
      net.ipv4.conf.eth0.arp_ignore: 1
      net.ipv4.conf.all.arp_announce: 2
      net.ipv4.conf.eth0.arp_announce: 2`;
  const yaml = `name: icmp related
duration: 60m
segments: { wan: {}, lan: {}, back: {}, far: {} }
hosts:
  c:
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.2/24] }
    commands:
      - ip route add default via 10.0.0.1
${clientCommands.map((c) => `      - ${c}`).join('\n')}
  r:
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.1/24] }
      eth1: { segment: lan, addresses: [192.168.1.254/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
      - ip route add 10.2.0.0/16 via 192.168.1.1
  d:
    interfaces:
      eth0: { segment: lan, addresses: [192.168.1.1/24] }
      eth1: { segment: back, addresses: [10.2.1.1/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
      - ip addr add ${VIP}/24 dev eth0 label eth0:0
      - ip route add default via 192.168.1.254
      - ip route add 10.4.0.0/24 via 192.168.1.253
${directorCommands.map((c) => `      - ${c}`).join('\n')}
  rs1:
    interfaces:
      eth0: { segment: back, addresses: [10.2.1.2/24] }
    commands:
      - ip route add default via 10.2.1.1
  rs2:
    interfaces:
      eth0: { segment: lan, addresses: [192.168.1.2/24] }
    sysctl:
${arpQuiet}
    commands:
      - ip addr add ${VIP}/32 dev lo
      - ip route add default via 192.168.1.254
  r2:
    interfaces:
      eth0: { segment: lan, addresses: [192.168.1.253/24] }
      eth1: { segment: far, addresses: [10.4.0.254/24] }
    sysctl:
      net.ipv4.ip_forward: 1
      net.ipv4.conf.all.rp_filter: 0
      net.ipv4.conf.eth1.rp_filter: 0
    commands:
      - ip link set eth1 mtu 1400
      - ip route add default via 192.168.1.254
  rs3:
    interfaces:
      eth0: { segment: far, addresses: [10.4.0.2/24] }
    sysctl:
${arpQuiet}
    commands:
      - ip addr add ${VIP}/32 dev lo
      - ip route add default via 10.4.0.254
      - modprobe ipip
      - ip link set tunl0 up
      - sysctl -w net.ipv4.conf.tunl0.rp_filter=0
      - sysctl -w net.ipv4.conf.all.rp_filter=0
`;
  const built = buildScenario(loadScenario(yaml, 'icmp-related.yaml'));
  const w = built.world;
  w.sim.runUntil(w.sim.now() + 10 * MS);
  const events = w.memory.events as TraceEvent[];
  const settle = () => w.sim.runUntil(w.sim.now() + 100 * MS);
  return { w, events, settle };
}

type Rx = Extract<TraceEvent, { kind: 'rx' }>;
const rxIcmp = (events: TraceEvent[], host: string) => events.filter((e): e is Rx => e.kind === 'rx' && e.host === host && e.pkt.icmp !== undefined);

/** A UDP server on `host` that answers every datagram with its payload, from the address it was sent to. */
function udpEcho(host: Host, port: number): void {
  host.sockets.bindUdp({ addr: 0, port, onDatagram: (from, fromPort, to, p) => host.sockets.sendUdp(from, fromPort, port, p, to) });
}

function udpStats(w: ReturnType<typeof world>['w']) {
  return ipvsOf(w.host('d')).serviceFor({ kind: 'addr', protocol: 'udp', address: ip(VIP), port: 53 })!.stats;
}

describe('ICMP errors about IPVS connections (Linux 6.1 ip_vs_out_icmp / ip_vs_in_icmp)', () => {
  it('NAT: a real server\'s port unreachable leaves from the VIP about the VIP, and the client\'s connected socket is refused', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.2.1.2:5353 -m`]);
    const c = w.host('c');
    const got: string[] = [];
    // A connected UDP socket, as glibc's resolver uses: it hears of the refusal (ECONNREFUSED).
    c.sockets.bindUdp({
      addr: 0,
      port: 40000,
      peer: { addr: ip(VIP), port: 53 },
      onDatagram: () => got.push('answer'),
      onError: (errno, from) => got.push(`${errno} from ${from === ip(VIP) ? 'VIP' : from}`),
    });
    c.sockets.sendUdp(ip(VIP), 53, 40000, textPayload('query'));
    settle();
    // rs1 has nothing on 5353: it answers the translated datagram with port unreachable, quoting what it got.
    const fromRs = rxIcmp(events, 'd').find((e) => e.iface === 'eth1');
    expect(fromRs?.pkt.ip).toMatchObject({ src: '10.2.1.2', dst: '10.0.0.2' });
    expect(fromRs?.pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: '10.2.1.2' });
    expect(fromRs?.pkt.inner?.udp).toMatchObject({ sport: 40000, dport: 5353 });
    // The client receives it from the VIP, about the datagram it sent (to the VIP, port 53).
    const atClient = rxIcmp(events, 'c');
    expect(atClient).toHaveLength(1);
    expect(atClient[0].pkt.icmp).toMatchObject({ type: 3, code: 3 });
    expect(atClient[0].pkt.ip).toMatchObject({ src: VIP, dst: '10.0.0.2' });
    expect(atClient[0].pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: VIP });
    expect(atClient[0].pkt.inner?.udp).toMatchObject({ sport: 40000, dport: 53 });
    expect(got).toEqual(['ECONNREFUSED from VIP']);
    // Counted as an outgoing packet of the connection's service (one datagram in, one ICMP error out).
    const st = udpStats(w);
    expect([st.inPkts, st.outPkts, st.outBytes]).toEqual([1, 1, 56]);
  });

  it('NAT: the director\'s own error about a translated packet (no ARP answer from the real server) leaves from the VIP too', () => {
    // ip_vs_out_icmp runs at LOCAL_OUT as well: the host unreachable the director's neighbour layer sends about
    // client → 10.2.1.9:80 matches the entry like a real server's error, whoever sent it.
    const { w, events } = world([`ipvsadm -A -t ${VIP}:80 -s rr`, `ipvsadm -a -t ${VIP}:80 -r 10.2.1.9 -m`]);
    w.host('c').sockets.connect(ip(VIP), 80, {}, { sport: 20000 });
    w.sim.runUntil(w.sim.now() + 5000 * MS);
    const unreachable = rxIcmp(events, 'c').filter((e) => e.pkt.icmp?.type === 3 && e.pkt.icmp.code === 1);
    expect(unreachable.length).toBeGreaterThan(0);
    for (const e of unreachable) {
      expect(e.pkt.ip?.src).toBe(VIP);
      expect(e.pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: VIP });
      expect(e.pkt.inner?.tcp).toMatchObject({ sport: 20000, dport: 80 });
    }
  });

  it('an unconnected UDP socket does not hear of the refusal (no IP_RECVERR): the error is only traced', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.2.1.2 -m`]);
    const c = w.host('c');
    const got: string[] = [];
    c.sockets.bindUdp({ addr: 0, port: 40000, onDatagram: () => got.push('answer'), onError: (errno) => got.push(errno) });
    c.sockets.sendUdp(ip(VIP), 53, 40000, textPayload('query'));
    settle();
    expect(rxIcmp(events, 'c')[0]?.pkt.ip?.src).toBe(VIP);
    expect(got).toEqual([]);
    expect(events.some((e) => e.kind === 'drop' && e.host === 'c' && e.reason === 'icmp-ignored')).toBe(true);
  });

  it('NAT: an error from the client about a reply reaches the real server with the real server\'s address and port', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.2.1.2:5353 -m`], ['iptables -A INPUT -p udp --sport 53 -j REJECT']);
    udpEcho(w.host('rs1'), 5353);
    w.host('c').sockets.sendUdp(ip(VIP), 53, 40000, textPayload('query'));
    settle();
    // The client rejects the answer (from VIP:53) with port unreachable, addressed to the VIP.
    const sent = events.find((e) => e.kind === 'tx' && e.host === 'c' && e.pkt.icmp !== undefined);
    expect(sent?.kind === 'tx' && sent.pkt.ip).toMatchObject({ src: '10.0.0.2', dst: VIP });
    // The director sends it on to rs1: outer destination, quoted source address and port are rs1's.
    const atRs = rxIcmp(events, 'rs1');
    expect(atRs).toHaveLength(1);
    expect(atRs[0].pkt.icmp).toMatchObject({ type: 3, code: 3 });
    expect(atRs[0].pkt.ip).toMatchObject({ src: '10.0.0.2', dst: '10.2.1.2' });
    expect(atRs[0].pkt.inner?.ip).toMatchObject({ src: '10.2.1.2', dst: '10.0.0.2' });
    expect(atRs[0].pkt.inner?.udp).toMatchObject({ sport: 5353, dport: 40000 });
    // One hop more: the TTL the director received it with, less one.
    const atD = rxIcmp(events, 'd')[0];
    expect(atRs[0].pkt.ip!.ttl).toBe(atD.pkt.ip!.ttl - 1);
    // Counted as incoming: the query and the error.
    const st = udpStats(w);
    expect([st.inPkts, st.outPkts]).toEqual([2, 1]);
  });

  it('DR: an error from the client about a reply goes to the real server unchanged but for its TTL and MAC', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 192.168.1.2 -g`], ['iptables -A INPUT -p udp --sport 53 -j REJECT']);
    udpEcho(w.host('rs2'), 53);
    w.host('c').sockets.sendUdp(ip(VIP), 53, 40000, textPayload('query'));
    settle();
    const atD = rxIcmp(events, 'd');
    expect(atD).toHaveLength(1);
    const atRs = rxIcmp(events, 'rs2');
    expect(atRs).toHaveLength(1);
    expect(atRs[0].pkt.ip).toMatchObject({ src: '10.0.0.2', dst: VIP, ttl: atD[0].pkt.ip!.ttl - 1 });
    expect(atRs[0].pkt.inner?.ip).toMatchObject({ src: VIP, dst: '10.0.0.2' });
    expect(atRs[0].pkt.inner?.udp).toMatchObject({ sport: 53, dport: 40000 });
    expect(atRs[0].pkt.eth?.dst).toBe(w.host('rs2').iface('eth0')!.mac);
    expect(udpStats(w).inPkts).toBe(2);
  });

  it('TUN: an error from the client about a reply is tunnelled to the real server', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.4.0.2 -i`], ['iptables -A INPUT -p udp --sport 53 -j REJECT']);
    udpEcho(w.host('rs3'), 53);
    w.host('c').sockets.sendUdp(ip(VIP), 53, 40000, textPayload('query'));
    settle();
    const tunnelled = events.find((e): e is Rx => e.kind === 'rx' && e.host === 'rs3' && e.pkt.ip?.proto === 'ipip' && e.pkt.inner?.icmp !== undefined);
    expect(tunnelled?.pkt.ip).toMatchObject({ src: '192.168.1.1', dst: '10.4.0.2' });
    expect(tunnelled?.pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: VIP });
    expect(tunnelled?.pkt.inner?.icmp).toMatchObject({ type: 3, code: 3 });
    expect(udpStats(w).inPkts).toBe(2);
  });

  it('TUN: fragmentation needed for the director\'s IPIP packet is answered to the client with the path MTU less the tunnel header', () => {
    const { w, events, settle } = world(['ipvsadm -A -t 192.168.1.110:80 -s rr', 'ipvsadm -a -t 192.168.1.110:80 -r 10.4.0.2 -i']);
    new GreetingServer(w.host('rs3'), 80, 'rs3').start();
    const st = { greeting: '', conn: undefined as TcpConnection | undefined };
    const r = w.host('c').sockets.connect(ip(VIP), 80, { onData: (p) => (st.greeting += payloadText(p)) }, { sport: 20000 });
    if (!('errno' in r)) st.conn = r;
    settle();
    expect(st.greeting).toBe('rs3\n');
    st.conn!.endpoint.send(payloadOfLength(1460));
    settle();
    settle();
    // First the director itself: 1500 bytes do not fit its tunnel (1480). Then r2: the 1500-byte IPIP packet
    // does not fit its 1400-byte link, and it tells the director, which tells the client 1400 - 20.
    const fromR2 = rxIcmp(events, 'd').find((e) => e.pkt.icmp?.code === 4);
    expect(fromR2?.pkt.ip).toMatchObject({ src: '192.168.1.253', dst: '192.168.1.1' });
    expect(fromR2?.pkt.icmp?.mtu).toBe(1400);
    expect(fromR2?.pkt.inner?.ip).toMatchObject({ src: '192.168.1.1', dst: '10.4.0.2', proto: 'ipip' });
    const told = rxIcmp(events, 'c').map((e) => e.pkt.icmp?.mtu);
    expect(told).toEqual([1480, 1380]);
    const second = rxIcmp(events, 'c')[1];
    expect(second.pkt.ip).toMatchObject({ src: VIP, dst: '10.0.0.2' });
    expect(second.pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: VIP, len: 1480 });
    // The client's TCP lowers its segments to fit (1380 - 40) and the data gets through the tunnel.
    const data = events.filter((e): e is Rx => e.kind === 'rx' && e.host === 'rs3' && e.pkt.ip?.proto === 'ipip' && (e.pkt.inner?.tcp?.len ?? 0) > 0);
    expect(data.length).toBeGreaterThan(0);
    for (const e of data) expect(e.pkt.inner?.tcp?.len).toBeLessThanOrEqual(1340);
    // Counted as outgoing packets of the service, as 6.1 counts them: each ICMP error the director sends the
    // client about a TUN entry's packet matches the entry on its way out (ip_vs_out_icmp at LOCAL_OUT: for DR/TUN
    // the lookup is by the VIP), so the 1480 and the 1380 errors count 56 bytes each; ip_vs_in_icmp counts the
    // r2 error as well, as much of it as follows the IPIP header in a Linux-sized quote (548 - 20 bytes).
    const stats = ipvsOf(w.host('d')).serviceFor({ kind: 'addr', protocol: 'tcp', address: ip(VIP), port: 80 })!.stats;
    expect([stats.outPkts, stats.outBytes]).toEqual([3, 56 + 56 + 528]);
  });

  it('an error about no IPVS connection is left alone: forwarded unchanged, or taken by the director\'s own stack', () => {
    const { w, events, settle } = world([`ipvsadm -A -u ${VIP}:53 -s rr`, `ipvsadm -a -u ${VIP}:53 -r 10.2.1.2 -m`]);
    const c = w.host('c');
    // A datagram straight to rs1's own address (routed through the director), to a port nothing listens on.
    c.sockets.sendUdp(ip('10.2.1.2'), 9999, 40000, textPayload('hello'));
    // And one from the director's own address to a closed port of the client.
    w.host('d').sockets.sendUdp(ip('10.0.0.2'), 40001, 5000, textPayload('hello'), ip('192.168.1.1'));
    settle();
    const atClient = rxIcmp(events, 'c');
    expect(atClient).toHaveLength(1);
    expect(atClient[0].pkt.ip).toMatchObject({ src: '10.2.1.2', dst: '10.0.0.2' });
    expect(atClient[0].pkt.inner?.ip).toMatchObject({ src: '10.0.0.2', dst: '10.2.1.2' });
    expect(atClient[0].pkt.inner?.udp).toMatchObject({ sport: 40000, dport: 9999 });
    const atD = rxIcmp(events, 'd').filter((e) => e.pkt.ip?.dst === '192.168.1.1');
    expect(atD).toHaveLength(1);
    expect(events.some((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'icmp-ignored' && e.pkt?.pid === atD[0].pkt.pid)).toBe(true);
    const st = udpStats(w);
    expect([st.inPkts, st.outPkts]).toEqual([0, 0]);
  });
});
