import { describe, expect, it } from 'vitest';
import { GreetingServer } from '../../../src/apps/index.ts';
import { ipvsOf } from '../../../src/ipvs/index.ts';
import type { TcpConnection } from '../../../src/net/index.ts';
import { buildScenario, loadScenario } from '../../../src/scenario/index.ts';
import { MS, SECOND } from '../../../src/sim/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';
import { parseIpv4, payloadOfLength, textPayload, payloadText } from '../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;

/**
 * A client on 10.1.0.0/16, a director at 10.1.0.1 with the VIP range local, two real servers behind it
 * (10.2.K.2/24, default route via the director): the oracle's topology, with director commands of the test's.
 */
function world(directorCommands: string[], opts: { mode?: 'nat' | 'tun'; rsCommands?: string[] } = {}) {
  const rs = [1, 2]
    .map(
      (k) => `  rs${k}:
    interfaces:
      eth0: { segment: s${k}, addresses: [10.2.${k}.2/24] }
    commands:
      - ip route add default via 10.2.${k}.1
${(opts.rsCommands ?? []).map((c) => `      - ${c}`).join('\n')}`,
    )
    .join('\n');
  const yaml = `name: data path
duration: 60m
segments: { c0: {}, s1: {}, s2: {} }
hosts:
  c:
    interfaces:
      c0: { segment: c0, addresses: [10.1.1.10/16] }
    commands:
      - ip route add default via 10.1.0.1
  d:
    interfaces:
      d0: { segment: c0, addresses: [10.1.0.1/16] }
      d1: { segment: s1, addresses: [10.2.1.1/24] }
      d2: { segment: s2, addresses: [10.2.2.1/24] }
    sysctl:
      net.ipv4.ip_forward: 1
      net.ipv4.conf.all.accept_local: 1
    commands:
      - ip route add local 10.0.0.0/16 dev lo
${directorCommands.map((c) => `      - ${c}`).join('\n')}
${rs}
`;
  const built = buildScenario(loadScenario(yaml, 'datapath.yaml'));
  const w = built.world;
  const run = (host: string, line: string): string => {
    let out = '';
    built.shell.run(w.host(host), line, (r) => (out = r.output));
    w.sim.runUntil(w.sim.now() + MS);
    return out;
  };
  return { w, run, events: w.memory.events as TraceEvent[] };
}

function connect(w: ReturnType<typeof world>['w'], sport: number) {
  const st = { greeting: '', closed: '' as string, conn: undefined as TcpConnection | undefined };
  const r = w.host('c').sockets.connect(
    ip('10.0.0.100'),
    80,
    {
      onData: (p) => (st.greeting += payloadText(p)),
      onClosed: (reason) => (st.closed = reason),
    },
    { src: ip('10.1.1.10'), sport },
  );
  if (!('errno' in r)) st.conn = r;
  w.sim.runUntil(w.sim.now() + 50 * MS);
  return st;
}

describe('IPVS data path', () => {
  it('refuses a SYN with ICMP port unreachable when every server is quiesced, and logs it as the kernel does', () => {
    const { w, events } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -m -w 0']);
    const st = connect(w, 20000);
    expect(st.closed).toBe('refused');
    expect(events.some((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'ipvs-no-destination')).toBe(true);
    expect(events.some((e) => e.kind === 'icmp' && e.host === 'd' && e.type === 3 && e.code === 3)).toBe(true);
    expect(events.some((e) => e.kind === 'ipvs' && e.event === 'log' && e.detail === 'IPVS: rr: TCP 10.0.0.100:80 - no destination available')).toBe(true);
  });

  it('NAT: rewrites the destination (with port mapping) on the way in and the source on the way out', () => {
    const { w, events } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2:8080 -m']);
    new GreetingServer(w.host('rs1'), 8080, 'rs1').start();
    const st = connect(w, 20001);
    expect(st.greeting).toBe('rs1\n');
    const atRs = events.find((e) => e.kind === 'rx' && e.host === 'rs1' && e.pkt.tcp?.flags === 'S');
    expect(atRs?.kind === 'rx' && atRs.pkt.ip).toMatchObject({ src: '10.1.1.10', dst: '10.2.1.2', ttl: 63 });
    expect(atRs?.kind === 'rx' && atRs.pkt.tcp?.dport).toBe(8080);
    const atClient = events.filter((e) => e.kind === 'rx' && e.host === 'c' && e.pkt.tcp !== undefined);
    expect(atClient.length).toBeGreaterThan(0);
    for (const e of atClient) if (e.kind === 'rx') expect([e.pkt.ip?.src, e.pkt.tcp?.sport]).toEqual(['10.0.0.100', 80]);
  });

  it('NAT over UDP: a datagram is scheduled, answered from the VIP, and counted as inactive', () => {
    const { w, run } = world(['ipvsadm -A -u 10.0.0.100:53 -s rr', 'ipvsadm -a -u 10.0.0.100:53 -r 10.2.2.2 -m']);
    const rs2 = w.host('rs2');
    rs2.sockets.bindUdp({ addr: 0, port: 53, onDatagram: (from, fromPort, _to, p) => rs2.sockets.sendUdp(from, fromPort, 53, p) });
    const got: string[] = [];
    const c = w.host('c');
    c.sockets.bindUdp({ addr: 0, port: 40000, onDatagram: (from, fromPort, _to, p) => got.push(`${from === ip('10.0.0.100')}:${fromPort}:${payloadText(p)}`) });
    c.sockets.sendUdp(ip('10.0.0.100'), 53, 40000, textPayload('query'));
    w.sim.runUntil(w.sim.now() + 50 * MS);
    expect(got).toEqual(['true:53:query']);
    expect(run('d', 'ipvsadm -L -n')).toContain('  -> 10.2.2.2:53                  Masq    1      0          1         \n');
    expect(run('d', 'ipvsadm -L -n -c')).toMatch(/UDP 0[45]:\d\d  UDP +10\.1\.1\.10:40000 +10\.0\.0\.100:53 +10\.2\.2\.2:53/);
  });

  it('TUN: a DF packet too big for the tunnel is answered with fragmentation-needed and the tunnel MTU', () => {
    const { w, events } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -i'], {
      rsCommands: ['ip route add local 10.0.0.0/16 dev lo', 'modprobe ipip', 'ip link set tunl0 up', 'sysctl -w net.ipv4.conf.tunl0.rp_filter=0'],
    });
    new GreetingServer(w.host('rs1'), 80, 'rs1').start();
    const st = connect(w, 20002);
    expect(st.greeting).toBe('rs1\n');
    const encapsulated = events.find((e) => e.kind === 'rx' && e.host === 'rs1' && e.pkt.ip?.proto === 'ipip');
    expect(encapsulated?.kind === 'rx' && encapsulated.pkt.ip).toMatchObject({ src: '10.2.1.1', dst: '10.2.1.2' });
    st.conn!.endpoint.send(payloadOfLength(1460));
    w.sim.runUntil(w.sim.now() + 50 * MS);
    const icmp = events.find((e) => e.kind === 'rx' && e.host === 'c' && e.pkt.icmp?.type === 3 && e.pkt.icmp.code === 4);
    expect(icmp?.kind === 'rx' && icmp.pkt.icmp?.mtu).toBe(1480);
    expect(events.some((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'frag-needed')).toBe(true);
    // The client's TCP lowers its MSS to the tunnel's (1480 - 40) and sends the data again: it gets through.
    const data = events.filter((e) => e.kind === 'rx' && e.host === 'rs1' && e.pkt.ip?.proto === 'ipip' && (e.pkt.inner?.tcp?.len ?? 0) > 0);
    expect(data.length).toBeGreaterThan(0);
    for (const e of data) if (e.kind === 'rx') expect(e.pkt.inner?.tcp?.len).toBeLessThanOrEqual(1440);
  });

  it('drops packets of a connection whose real server was deleted, unless expire_nodest_conn is on', () => {
    const { w, events, run } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -m']);
    new GreetingServer(w.host('rs1'), 80, 'rs1').start();
    const st = connect(w, 20003);
    expect(st.greeting).toBe('rs1\n');
    run('d', 'ipvsadm -d -t 10.0.0.100:80 -r 10.2.1.2');
    st.conn!.endpoint.send(textPayload('more'));
    w.sim.runUntil(w.sim.now() + 50 * MS);
    expect(events.filter((e) => e.kind === 'drop' && e.reason === 'ipvs-dest-unavailable').length).toBeGreaterThan(0);
    // The entry is left to its own timer: still listed.
    expect(run('d', 'ipvsadm -L -n -c')).toContain('10.1.1.10:20003');
  });

  it('forgets its connection table when the director crashes: after the reboot a mid-stream segment finds no entry', () => {
    const { w, events, run } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -m']);
    new GreetingServer(w.host('rs1'), 80, 'rs1').start();
    const st = connect(w, 20010);
    expect(st.greeting).toBe('rs1\n');
    expect(run('d', 'ipvsadm -L -n')).toMatch(/-> 10\.2\.1\.2:80 +Masq +1 +1 +0/);
    const d = w.host('d');
    d.crash();
    d.restart();
    // The service table is configuration and stays; the connection and its count are gone, as at a reboot.
    expect(run('d', 'ipvsadm -L -n')).toMatch(/-> 10\.2\.1\.2:80 +Masq +1 +0 +0/);
    expect(run('d', 'ipvsadm -L -n -c')).not.toContain('10.1.1.10:20010');
    const before = events.length;
    st.conn!.endpoint.send(textPayload('more'));
    w.sim.runUntil(w.sim.now() + 50 * MS);
    // Not a SYN, no entry: IPVS lets it pass to the director's own stack, which has no such socket and resets.
    const later = events.slice(before);
    expect(later.some((e) => e.kind === 'rx' && e.host === 'rs1' && e.pkt.tcp !== undefined)).toBe(false);
    expect(later.some((e) => e.kind === 'tx' && e.host === 'd' && e.pkt.tcp?.flags?.includes('R') === true)).toBe(true);
    expect(st.closed).toBe('reset');
  });

  it('sweeps connections of a deleted server one jiffy later with expire_nodest_conn=1', () => {
    const { w, run } = world(['sysctl -w net.ipv4.vs.expire_nodest_conn=1', 'ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -m']);
    new GreetingServer(w.host('rs1'), 80, 'rs1').start();
    connect(w, 20004);
    expect(run('d', 'ipvsadm -L -n -c')).toContain('10.1.1.10:20004');
    run('d', 'ipvsadm -d -t 10.0.0.100:80 -r 10.2.1.2');
    w.sim.runUntil(w.sim.now() + 10 * MS);
    expect(run('d', 'ipvsadm -L -n -c')).not.toContain('10.1.1.10:20004');
  });

  it('reschedules a SYN that reuses the port of a TIME_WAIT entry (conn_reuse_mode=1)', () => {
    const { w, run } = world(['ipvsadm -A -t 10.0.0.100:80 -s rr', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.1.2 -m', 'ipvsadm -a -t 10.0.0.100:80 -r 10.2.2.2 -m']);
    for (const k of [1, 2]) new GreetingServer(w.host(`rs${k}`), 80, `rs${k}`).start();
    const first = connect(w, 20005);
    expect(first.greeting).toBe('rs2\n');
    first.conn!.endpoint.close();
    w.sim.runUntil(w.sim.now() + 100 * MS);
    expect(run('d', 'ipvsadm -L -n -c')).toMatch(/TIME_WAIT +10\.1\.1\.10:20005/);
    // The client's own TIME_WAIT would refuse the port: wait it out there (60 s) but not on the director (120 s).
    w.sim.runUntil(w.sim.now() + 61 * SECOND);
    const again = connect(w, 20005);
    expect(again.greeting).toBe('rs1\n');
  });

  it('makes a NAT director a bottleneck: with a CPU cost per packet, a full backlog drops with cpu-backlog', () => {
    const { w, events } = world(['ipvsadm -A -u 10.0.0.100:9 -s rr', 'ipvsadm -a -u 10.0.0.100:9 -r 10.2.1.2 -m']);
    const ipvs = ipvsOf(w.host('d'));
    ipvs.cpu.cost = { perPacket: 1 * MS, perByte: 0, backlog: 3 };
    const c = w.host('c');
    for (let i = 0; i < 10; i++) c.sockets.sendUdp(ip('10.0.0.100'), 9, 40000 + i, textPayload('x'));
    w.sim.runUntil(w.sim.now() + 100 * MS);
    expect(events.filter((e) => e.kind === 'drop' && e.host === 'd' && e.reason === 'cpu-backlog').length).toBe(7);
    // The 3 datagrams, then the 3 port unreachables rs1 (nothing on port 9) sends back, which IPVS translates too.
    expect(ipvs.cpu.processed).toBe(6);
  });
});
