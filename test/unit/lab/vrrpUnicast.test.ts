import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import type { TraceEvent } from '../../../src/trace/index.ts';

/** A scenario from host blocks (each a list of lines, indented under `hosts:`). */
function scenario(hosts: string[][], timeline: string[] = [], duration = '12s'): string {
  return ['name: unicast vrrp', `duration: ${duration}`, 'segments: { a: {}, b: {} }', 'hosts:', ...hosts.flat().map((l) => `  ${l}`), ...(timeline.length ? ['timeline:', ...timeline.map((l) => `  - ${l}`)] : []), ''].join('\n');
}

/** A director on segment `seg` running one unicast instance (VRID 51) with the extra instance lines given. */
function director(name: string, mac: string, addr: string, seg: string, prio: number, lines: string[], commands: string[] = []): string[] {
  return [
    `${name}:`,
    '  interfaces:',
    `    eth0: { segment: ${seg}, mac: ${mac}, addresses: [${addr}] }`,
    ...(commands.length ? ['  commands:', ...commands.map((c) => `    - ${c}`)] : []),
    '  keepalived:',
    '    vrrp_instances:',
    '      VI_1:',
    '        interface: eth0',
    '        virtual_router_id: 51',
    `        priority: ${prio}`,
    '        virtual_ipaddress: [10.0.0.100/24]',
    ...lines.map((l) => `        ${l}`),
  ];
}

function run(text: string): TraceEvent[] {
  const lab = Lab.fromText(text, { file: 'unicast.yaml' });
  const events: TraceEvent[] = [];
  lab.onEvent((e) => events.push(e));
  lab.run();
  return events;
}

type Tx = Extract<TraceEvent, { kind: 'tx' }>;
const adverts = (ev: TraceEvent[], host: string) => ev.filter((e): e is Tx => e.kind === 'tx' && e.host === host && e.pkt.ip?.proto === 'vrrp');
const masters = (ev: TraceEvent[]) => ev.filter((e) => e.kind === 'vrrp' && e.to === 'MASTER').map((e) => `${Math.round(e.t / 1e6)}ms ${e.host}`);

describe('unicast VRRP (unicast_peer)', () => {
  const spy = ['spy:', '  interfaces:', '    eth0: { segment: a, mac: 02:00:00:00:00:09, addresses: [10.0.0.9/24] }'];

  it('adverts go as unicast IP to each peer, from unicast_src_ip, with TTL 255; the election works as with multicast', () => {
    const ev = run(
      scenario([
        director('lvs1', '02:00:00:00:00:01', '10.0.0.1/24', 'a', 150, ['unicast_src_ip: 10.0.0.11', 'unicast_peer: [10.0.0.2, 10.0.0.3]'], ['ip addr add 10.0.0.11/24 dev eth0']),
        director('lvs2', '02:00:00:00:00:02', '10.0.0.2/24', 'a', 100, ['unicast_peer: [10.0.0.11]']),
        spy,
      ]),
    );
    expect(masters(ev)).toEqual(['3414ms lvs1']);
    const tx = adverts(ev, 'lvs1');
    expect([tx[0].pkt.ip!.dst, tx[0].pkt.eth!.dst, tx[0].pkt.ip!.src, tx[0].pkt.ip!.ttl, tx[0].pkt.vrrp!.prio]).toEqual(['10.0.0.2', '02:00:00:00:00:02', '10.0.0.11', 255, 150]);
    expect(tx.every((e) => e.pkt.ip!.dst === '10.0.0.2')).toBe(true);
    // Nothing goes to the group: the spy sees no VRRP at all (a unicast frame to lvs2 does not reach it).
    expect(ev.filter((e) => e.kind === 'rx' && e.host === 'spy' && e.pkt.ip?.proto === 'vrrp')).toEqual([]);
    expect(ev.filter((e) => e.kind === 'tx' && e.pkt.ip?.dst === '224.0.0.18')).toEqual([]);
    // Each advert goes to each peer: the ones to 10.0.0.3, which does not exist, wait for an ARP answer that
    // never comes, and never leave.
    expect(ev.some((e) => e.kind === 'tx' && e.host === 'lvs1' && e.pkt.arp?.tpa === '10.0.0.3')).toBe(true);
    expect(ev.some((e) => e.kind === 'drop' && e.host === 'lvs1' && e.pkt?.ip?.dst === '10.0.0.3' && e.pkt.ip.proto === 'vrrp')).toBe(true);
    // lvs2 accepts lvs1's adverts all along: no discards, never MASTER.
    expect(ev.filter((e) => e.kind === 'drop' && e.reason === 'vrrp-invalid')).toEqual([]);
  });

  it('a unicast_src_ip the host does not have is still the adverts\' source (keepalived writes the header: IP_HDRINCL)', () => {
    const ev = run(
      scenario([
        director('lvs1', '02:00:00:00:00:01', '10.0.0.1/24', 'a', 150, ['unicast_src_ip: 10.0.0.77', 'unicast_peer: [10.0.0.2]']),
        director('lvs2', '02:00:00:00:00:02', '10.0.0.2/24', 'a', 100, ['unicast_peer: [10.0.0.77]', 'check_unicast_src: yes']),
      ]),
    );
    const tx = adverts(ev, 'lvs1');
    expect(tx.length).toBeGreaterThan(3);
    expect(tx.every((e) => e.pkt.ip!.src === '10.0.0.77' && e.pkt.ip!.dst === '10.0.0.2')).toBe(true);
    expect(ev.filter((e) => e.kind === 'drop' && e.host === 'lvs1' && e.reason === 'no-route')).toEqual([]);
    // lvs2 checks the source against its peer list and accepts: lvs1 stays the only MASTER.
    expect(masters(ev)).toEqual(['3414ms lvs1']);
    expect(ev.filter((e) => e.kind === 'drop' && e.reason === 'vrrp-invalid')).toEqual([]);
  });

  it('the backup takes over when the master crashes, and its own adverts go to its peer', () => {
    const ev = run(
      scenario(
        [director('lvs1', '02:00:00:00:00:01', '10.0.0.1/24', 'a', 150, ['unicast_peer: [10.0.0.2]']), director('lvs2', '02:00:00:00:00:02', '10.0.0.2/24', 'a', 100, ['unicast_peer: [10.0.0.1]'])],
        ['{ at: 6s, crash: lvs1 }'],
      ),
    );
    expect(masters(ev)).toEqual(['3414ms lvs1', '9023ms lvs2']);
    expect(adverts(ev, 'lvs2').map((e) => e.pkt.ip!.dst)).toContain('10.0.0.1');
  });

  it('across a router: a unicast advert arrives with TTL 254 and is accepted (keepalived checks TTL 255 only for multicast)', () => {
    const router = [
      'router:',
      '  interfaces:',
      '    eth0: { segment: a, mac: 02:00:00:00:00:fe, addresses: [10.0.0.254/24] }',
      '    eth1: { segment: b, mac: 02:00:00:00:01:fe, addresses: [10.0.1.254/24] }',
      '  sysctl: { net.ipv4.ip_forward: 1 }',
    ];
    const ev = run(
      scenario([
        director('lvs1', '02:00:00:00:00:01', '10.0.0.1/24', 'a', 150, ['unicast_peer: [10.0.1.2]'], ['ip route add default via 10.0.0.254']),
        director('lvs2', '02:00:00:00:01:02', '10.0.1.2/24', 'b', 100, ['unicast_peer: [10.0.0.1]', 'unicast_ttl: 64'], ['ip route add default via 10.0.1.254']),
        router,
      ]),
    );
    expect(masters(ev)).toEqual(['3414ms lvs1']);
    const rx = ev.filter((e) => e.kind === 'rx' && e.host === 'lvs2' && e.pkt.ip?.proto === 'vrrp');
    expect(rx.length).toBeGreaterThan(5);
    expect(rx.every((e) => e.kind === 'rx' && e.pkt.ip!.ttl === 254)).toBe(true);
    expect(ev.filter((e) => e.kind === 'drop' && e.reason === 'vrrp-invalid')).toEqual([]);
  });

  it('check_unicast_src: an advert from a source that is not a peer is discarded; without it, it is obeyed', () => {
    // lvs3 (200) sends its adverts to lvs2, which lists only 10.0.0.1 (absent) as its peer.
    const hosts = (check: boolean) => [
      director('lvs2', '02:00:00:00:00:02', '10.0.0.2/24', 'a', 100, ['unicast_peer: [10.0.0.1]', ...(check ? ['check_unicast_src: yes'] : [])]),
      director('lvs3', '02:00:00:00:00:03', '10.0.0.3/24', 'a', 200, ['unicast_peer: [10.0.0.2]']),
    ];
    const obeyed = run(scenario(hosts(false)));
    expect(masters(obeyed)).toEqual(['3219ms lvs3']);
    const checked = run(scenario(hosts(true)));
    expect(masters(checked)).toEqual(['3219ms lvs3', '3609ms lvs2']);
    const drops = checked.filter((e) => e.kind === 'drop' && e.reason === 'vrrp-invalid' && e.host === 'lvs2');
    expect(drops.length).toBeGreaterThan(5);
    expect(drops[0].kind === 'drop' && drops[0].detail).toBe('VI_1: unicast source 10.0.0.3 is not a unicast peer');
  });

  it('the keys are checked where they are written', () => {
    const bad = (lines: string[]) => {
      try {
        Lab.fromText(scenario([director('lvs1', '02:00:00:00:00:01', '10.0.0.1/24', 'a', 150, lines)]), { file: 'u.yaml' });
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad(['unicast_peer: [10.0.0.2, 10.0.0.2]'])).toMatch(/unicast_peer\[1\]: expected each unicast peer once/);
    expect(bad(['unicast_peer: [224.0.0.18]'])).toMatch(/unicast_peer\[0\]: expected a unicast peer address/);
    expect(bad(['unicast_ttl: 64'])).toMatch(/unicast_ttl: expected unicast_ttl only with unicast_peer/);
    expect(bad(['unicast_peer: [10.0.0.2]', 'unicast_ttl: 300'])).toMatch(/unicast_ttl: expected a unicast_ttl 0\.\.255/);
    expect(bad(['unicast_src_ip: 10.0.0']).split('\n')[0]).toMatch(/^u\.yaml:\d+:\d+: hosts\.lvs1\.keepalived\.vrrp_instances\.VI_1\.unicast_src_ip: expected a unicast source address/);
  });
});
