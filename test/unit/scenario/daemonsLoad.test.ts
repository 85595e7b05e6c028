import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Lab, ScenarioError } from '../../../src/lab/index.ts';
import { SECOND, MS } from '../../../src/sim/index.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';
import { errorOf, withHosts } from './helpers.ts';

/** A director `d` (eth0) with the given lines under it (indented 4), starting at line 7 of the file. */
const director = (...lines: string[]): string => withHosts('  d:', '    interfaces: { eth0: { segment: lan, addresses: [10.0.0.2/24] } }', ...lines.map((l) => `    ${l}`));

const KEEPALIVED = [
  'keepalived:', //                                                       7
  '  vrrp_instances:', //                                                 8
  '    VI_1:', //                                                         9
  '      interface: eth0', //                                             10
  '      virtual_router_id: 51', //                                       11
  '      priority: 150', //                                               12
  '      advert_int: 0.5', //                                             13
  '      nopreempt: no', //                                               14
  '      virtual_ipaddress: [10.0.0.100/24 dev eth0 label eth0:vip, 10.0.0.101]', // 15
  '  virtual_servers:', //                                                16
  '    - virtual: 10.0.0.100:80', //                                      17
  '      lb_kind: DR', //                                                 18
  '      delay_loop: 6', //                                               19
  '      sorry_server: 10.0.0.9:80', //                                   20
  '      real_servers:', //                                               21
  '        - address: 10.0.0.21:80', //                                   22
  '          weight: 3', //                                               23
  '          checks:', //                                                 24
  '            - { type: HTTP_GET, nb_get_retry: 3, delay_before_retry: 2s, url: [{ path: /check.txt, status_code: [200, 301-302], digest: 0F343B0931126A20F133D67C2B018A3B }] }',
  '  lvs_sync_daemon: { interface: eth0, instance: VI_1, id: 9 }', //   26
];

describe('keepalived: on a host', () => {
  it('reads into keepalived\'s typed settings, with its defaults', () => {
    const spec = loadScenario(director(...KEEPALIVED), 't.yaml');
    const k = spec.hosts[0].keepalived!;
    expect(k.pos.line).toBe(7);
    const vi = k.config.vrrpInstances[0];
    expect(vi).toMatchObject({ name: 'VI_1', state: 'BACKUP', interface: 'eth0', vrid: 51, priority: 150, advertInt: 500 * MS, version: 2, preempt: true, garpMasterRepeat: 5, garpMasterDelay: 5 * SECOND });
    expect(vi.virtualAddresses).toEqual([
      { address: parseIpv4('10.0.0.100'), prefixLen: 24, dev: 'eth0', label: 'eth0:vip' },
      { address: parseIpv4('10.0.0.101'), prefixLen: 32, dev: undefined, label: undefined },
    ]);
    const vs = k.config.virtualServers[0];
    expect(vs).toMatchObject({ scheduler: 'wlc', fwd: 'route', delayLoop: 6 * SECOND, quorum: 1, sorryServer: { address: parseIpv4('10.0.0.9'), port: 80 } });
    expect(vs.key).toEqual({ kind: 'addr', protocol: 'tcp', address: parseIpv4('10.0.0.100'), port: 80 });
    expect(vs.realServers[0].checkers[0]).toEqual({
      type: 'HTTP_GET',
      retry: 3,
      delayBeforeRetry: 2 * SECOND,
      urls: [{ path: '/check.txt', statusCodes: [[200, 200], [301, 302]], digest: '0f343b0931126a20f133d67c2b018a3b' }],
    });
    expect(k.config.lvsSyncDaemon).toEqual({ interface: 'eth0', instance: 'VI_1', syncId: 9 });
  });

  it('state MASTER without a priority is the address owner (255), as in keepalived; BACKUP stays 100', () => {
    const prio = (state: string) => loadScenario(director(...KEEPALIVED.flatMap((l) => (l.includes('priority: 150') ? [`      state: ${state}`] : [l]))), 't.yaml').hosts[0].keepalived!.config.vrrpInstances[0].priority;
    expect(prio('MASTER')).toBe(255);
    expect(prio('BACKUP')).toBe(100);
  });

  it('refuses bad values at their line and column', () => {
    const at = (lines: string[]) => {
      const e = errorOf(director(...lines));
      return [e.line, e.column, e.path, e.expected];
    };
    const swap = (i: number, line: string) => KEEPALIVED.map((l, j) => (j === i ? line : l));
    expect(at(swap(4, '      virtual_router_id: 256'))).toEqual([11, 30, 'hosts.d.keepalived.vrrp_instances.VI_1.virtual_router_id', 'a virtual_router_id 1..255']);
    expect(at(swap(6, '      advert_int: 300'))[0]).toBe(13);
    expect(at(swap(8, '      virtual_ipaddress: [10.0.0.100/33]'))[0]).toBe(15);
    expect(at(swap(11, '      lb_kind: XX'))[2]).toBe('hosts.d.keepalived.virtual_servers[0].lb_kind');
    expect(at(swap(18, '            - { type: TCP_CHECK, nb_get_retry: 3 }'))[3]).toContain('nb_get_retry only in HTTP_GET or SSL_GET');
    expect(at(swap(18, '            - { type: HTTP_GET, url: [{ path: /x, digest: abc }] }'))[3]).toBe('an MD5 digest: 32 hex digits');
    expect(at(swap(19, '  lvs_sync_daemon: { interface: eth0, instance: VI_2 }'))[0]).toBe(26);
    expect(at(KEEPALIVED.filter((_, j) => j !== 3))[3]).toContain('an interface: key');
    expect(at(swap(3, '      interfce: eth0'))[0]).toBe(10);
    // Scheduler flags belong to their scheduler; ops only on UDP (the virtual server is TCP wlc).
    expect(at(swap(11, '      sched_flags: [sh-port]'))).toEqual([18, 25, 'hosts.d.keepalived.virtual_servers[0].sched_flags[0]', 'a flag of the lb_algo in use (sh-port is for sh, this virtual server uses wlc)']);
    expect(at(swap(11, '      sched_flags: [sh-sideways]'))[3]).toMatch(/^a list of scheduler flags/);
    expect(at(swap(11, '      ops: yes'))).toEqual([18, 16, 'hosts.d.keepalived.virtual_servers[0].ops', 'ops only on a udp virtual server (one-packet scheduling requires UDP)']);
  });

  it('a service unit named like the daemon the host runs is refused at its line (systemctl would reach only one)', () => {
    const e = errorOf(director('services:', '  - { port: 80, unit: keepalived }', ...KEEPALIVED));
    expect([e.line, e.path, e.got]).toEqual([8, 'hosts.d.services[0].unit', '"keepalived"']);
    expect(e.expected).toContain('a unit name other than keepalived');
    // Another unit name is fine beside the daemon, and the daemon's name is fine on a host without it.
    expect(() => loadScenario(director('services:', '  - { port: 80, unit: web }', ...KEEPALIVED), 't.yaml')).not.toThrow();
    expect(() => loadScenario(director('services:', '  - { port: 80, unit: keepalived }'), 't.yaml')).not.toThrow();
  });

  it('reads unicast peers, tracked interfaces and sync groups into the typed settings, with their defaults', () => {
    const lines = [
      'keepalived:',
      '  vrrp_sync_groups: { G: { group: [VI_2, VI_1] } }',
      '  vrrp_instances:',
      '    VI_1: { interface: eth0, virtual_router_id: 51, virtual_ipaddress: [10.0.0.100], unicast_peer: [10.0.0.3, 10.0.0.4], unicast_src_ip: 10.0.0.2, check_unicast_src: on }',
      '    VI_2: { interface: eth0, virtual_router_id: 52, virtual_ipaddress: [10.0.0.101], track_interface: ["eth0 weight -20 reverse"], dont_track_primary: yes }',
    ];
    const c = loadScenario(director(...lines), 't.yaml').hosts[0].keepalived!.config;
    const [v1, v2] = c.vrrpInstances;
    expect(v1).toMatchObject({ unicastPeers: [parseIpv4('10.0.0.3'), parseIpv4('10.0.0.4')], unicastSrcIp: parseIpv4('10.0.0.2'), unicastTtl: 255, checkUnicastSrc: true, trackInterfaces: [], dontTrackPrimary: false });
    expect(v2).toMatchObject({ unicastPeers: [], checkUnicastSrc: false, dontTrackPrimary: true });
    expect(v2.trackInterfaces).toEqual([{ name: 'eth0', weight: -20, reverse: true }]);
    expect(c.syncGroups).toEqual([{ name: 'G', instances: ['VI_2', 'VI_1'], trackingWeight: false }]);
  });

  it('an interface the host does not have is an error at the build, at its line', () => {
    const text = director(...KEEPALIVED.map((l) => l.replace('virtual_ipaddress: [10.0.0.100/24 dev eth0 label eth0:vip', 'virtual_ipaddress: [10.0.0.100/24 dev eth9')));
    let err: unknown;
    try {
      Lab.fromText(text, { file: 't.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const e = err as ScenarioError;
    expect([e.line, e.expected]).toEqual([15, 'an Ethernet interface of d (eth0)']);
  });
});

describe('ldirectord: on a host', () => {
  const LD = [
    'ldirectord:', //                                   7
    '  checkinterval: 2', //                            8
    '  quiescent: yes', //                              9
    '  fallback: 127.0.0.1:80', //                      10
    '  virtuals:', //                                   11
    '    - virtual: 10.0.0.100:80', //                  12
    '      real: [10.0.0.21:8080 gate 2, 10.0.0.22 masq, 10.0.0.23:81 masq]', // 13
    '      request: check.txt', //                      14
    '      receive: "working$"', //                     15
    '      scheduler: lblc', //                         16
    '      persistent: 100', //                         17
  ];
  it('reads real= lines as ldirectord does: gate forces the virtual port, the method defaults to gate', () => {
    const spec = loadScenario(director(...LD), 't.yaml');
    const c = spec.hosts[0].ldirectord!.config;
    expect(c).toMatchObject({ checkInterval: 2 * SECOND, quiescent: true, checkTimeout: 5 * SECOND, negotiateTimeout: 30 * SECOND, failureCount: 1, fallback: { address: parseIpv4('127.0.0.1'), port: 80, fwd: 'route' } });
    expect(c.virtuals[0].reals).toEqual([
      { address: parseIpv4('10.0.0.21'), port: 80, fwd: 'route', weight: 2 },
      { address: parseIpv4('10.0.0.22'), port: 80, fwd: 'masq', weight: 1 },
      { address: parseIpv4('10.0.0.23'), port: 81, fwd: 'masq', weight: 1 },
    ]);
    expect(c.virtuals[0]).toMatchObject({ checkType: 'negotiate', request: 'check.txt', receive: 'working$', scheduler: 'lblc', persistent: 100, httpMethod: 'GET' });
  });
  it('refuses a bad real line, checktype or regular expression at its line', () => {
    const at = (i: number, line: string) => {
      const e = errorOf(director(...LD.map((l, j) => (j === i ? line : l))));
      return [e.line, e.expected];
    };
    expect(at(6, '      real: [10.0.0.21:80 route]')).toEqual([13, 'a real line A.B.C.D[:PORT] gate|masq|ipip [WEIGHT]']);
    expect(at(8, '      receive: "(("')).toEqual([15, 'a valid regular expression']);
    expect(at(2, '  quiescent: maybe')[1]).toBe('quiescent: yes/no (or true/false, on/off)');
    expect(at(10, '      checktype: external')[0]).toBe(17);
  });
});

describe('daemons in a run, and systemctl', () => {
  it('keepalived starts at time 0 after the commands; systemctl stops and starts it', () => {
    const lab = Lab.fromText(director(...KEEPALIVED.slice(0, 9)), { file: 't.yaml' });
    lab.runUntil(5 * SECOND);
    // Alone on its segment it becomes MASTER after the master-down interval: 3 × 0.5 s + (256-150)/256 s.
    const vrrp = JSON.parse(lab.traceJsonl().split('\n').filter((l) => l.includes('"kind":"vrrp"') && l.includes('"to":"MASTER"'))[0]);
    expect(vrrp.t).toBe(1_500_000_000 + 414_062_500);
    const out: string[] = [];
    lab.runCommand('d', 'systemctl status keepalived', (r) => out.push(`${r.exit} ${r.output}`));
    lab.runCommand('d', 'systemctl stop keepalived', (r) => out.push(`${r.exit}`));
    lab.runCommand('d', 'systemctl is-active keepalived', (r) => out.push(`${r.exit} ${r.output}`));
    lab.runCommand('d', 'systemctl start nosuch', (r) => out.push(`${r.exit} ${r.output}`));
    lab.runCommand('d', 'ip -4 addr show dev eth0', (r) => out.push(r.output));
    expect(out.slice(0, 4)).toEqual([
      '0 ● keepalived.service\n     Active: active (running)\n',
      '0',
      '3 inactive\n',
      '5 Failed to start nosuch.service: Unit nosuch.service not found.\n',
    ]);
    // Stopping resigned: the VIP is gone from eth0.
    expect(out[4]).not.toContain('10.0.0.100');
    lab.runCommand('d', 'systemctl start keepalived');
    lab.runUntil(10 * SECOND);
    expect(lab.traceJsonl().split('\n').filter((l) => l.includes('"kind":"vrrp"') && l.includes('"to":"MASTER"')).length).toBe(2);
  });
});
