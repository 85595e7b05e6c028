import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import type { CountExpectSpec, OutputExpectSpec } from '../../../src/scenario/schema.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';
import { FORMAT_EXAMPLE, withHosts, yaml } from './helpers.ts';

const S = 1_000_000_000;
const MSEC = 1_000_000;
const USEC = 1_000;

describe('loadScenario: the format page example', () => {
  const spec = loadScenario(FORMAT_EXAMPLE, 'arp-problem.yaml');

  it('reads the top level', () => {
    expect(spec.file).toBe('arp-problem.yaml');
    expect(spec.name).toBe('The LVS ARP problem');
    // `>` folds the text and keeps one final newline (YAML's clip chomping).
    expect(spec.description).toBe('The real servers hold the VIP on an interface that answers ARP.\n');
    expect(spec.seed).toBe(1);
    expect(spec.duration).toBe(10 * S);
    expect(spec.traffic).toEqual([]);
  });

  it('reads the segment with its key position', () => {
    expect(spec.segments).toEqual([{ name: 'lan', bandwidth: 1e9, latency: 25 * USEC, queue: 100, pos: { line: 8, column: 3 } }]);
  });

  it('reads the router in full', () => {
    expect(spec.hosts.map((h) => h.name)).toEqual(['router', 'rs1']);
    const router = spec.hosts[0];
    expect(router).toEqual({
      name: 'router',
      role: 'router',
      position: [120, 200],
      interfaces: [
        {
          name: 'eth0',
          segment: 'lan',
          segmentPos: { line: 19, column: 18 },
          mac: '02:00:00:00:01:fe',
          addresses: [{ cidr: { address: parseIpv4('192.168.1.254'), prefixLen: 24 }, text: '192.168.1.254/24', pos: { line: 21, column: 21 } }],
          latency: 10 * USEC,
          bandwidth: 1e9,
          pos: { line: 18, column: 7 },
        },
      ],
      sysctl: [{ key: 'net.ipv4.ip_forward', value: '1', pos: { line: 25, column: 7 } }],
      commands: [{ run: 'ip route add default via 192.168.1.1', pos: { line: 27, column: 9 } }],
      services: [],
      pos: { line: 14, column: 3 },
    });
  });

  it('reads rs1 with a flow-style interface and commands in order', () => {
    const rs1 = spec.hosts[1];
    expect(rs1.role).toBe('real-server');
    expect(rs1.position).toBeUndefined();
    expect(rs1.interfaces).toEqual([
      {
        name: 'eth0',
        segment: 'lan',
        segmentPos: { line: 31, column: 24 },
        mac: '02:00:00:00:01:02',
        addresses: [{ cidr: { address: parseIpv4('192.168.1.2'), prefixLen: 24 }, text: '192.168.1.2/24', pos: { line: 31, column: 65 } }],
        pos: { line: 31, column: 7 },
      },
    ]);
    expect(rs1.commands).toEqual([
      { run: 'ip addr add 192.168.1.110/32 dev lo', pos: { line: 33, column: 9 } },
      { run: 'sysctl -w net.ipv4.conf.all.arp_ignore=1', pos: { line: 34, column: 9 } },
    ]);
    expect(rs1.sysctl).toEqual([]);
  });

  it('reads the timeline in order', () => {
    expect(spec.timeline).toEqual([
      { at: 1 * S, host: 'router', action: { kind: 'run', run: 'ping -c 1 192.168.1.110', runPos: { line: 37, column: 34 } }, pos: { line: 37, column: 5 } },
      { at: 5 * S, host: 'rs1', action: { kind: 'run', run: 'ip link set eth0 down', runPos: { line: 38, column: 31 } }, pos: { line: 38, column: 5 } },
    ]);
  });

  it('reads the three expectations', () => {
    expect(spec.expect).toHaveLength(3);
    const [out, arp, drop] = spec.expect as [OutputExpectSpec, CountExpectSpec, CountExpectSpec];
    expect(out).toEqual({
      kind: 'output',
      at: 3 * S,
      host: 'router',
      run: 'ip neigh show 192.168.1.110',
      output: { contains: 'lladdr 02:00:00:00:01:01' },
      pos: { line: 41, column: 5 },
      runPos: { line: 43, column: 10 },
    });
    expect(arp.kind).toBe('count');
    expect(arp.equals).toBe(0);
    expect(arp.atLeast).toBeUndefined();
    expect(arp.pos).toEqual({ line: 45, column: 5 });
    // Plain objects compare equal to the null-prototype filter.
    expect({ ...arp.filter, pkt: { arp: { ...((arp.filter.pkt as Record<string, unknown>).arp as object) } } }).toEqual({
      kind: 'tx',
      host: 'rs1',
      pkt: { arp: { op: 'reply', spa: '192.168.1.110' } },
    });
    expect(drop.kind).toBe('count');
    expect({ ...drop.filter }).toEqual({ kind: 'drop', reason: 'rp-filter' });
    expect(drop.atLeast).toBe(1);
    expect(drop.equals).toBeUndefined();
  });

  it('builds filters on null-prototype objects', () => {
    const arp = spec.expect[1] as CountExpectSpec;
    expect(Object.getPrototypeOf(arp.filter)).toBeNull();
    expect(Object.getPrototypeOf(arp.filter.pkt)).toBeNull();
  });

  it('is deterministic: the same text gives an equal spec', () => {
    expect(loadScenario(FORMAT_EXAMPLE, 'arp-problem.yaml')).toEqual(spec);
  });
});

describe('loadScenario: defaults', () => {
  it('fills every default of the format page', () => {
    const spec = loadScenario(yaml('name: minimal', 'segments: { lan: {} }', 'hosts:', '  h: { interfaces: { eth0: { segment: lan } } }'), 'm.yaml');
    expect(spec.seed).toBe(1);
    expect(spec.duration).toBe(10 * S);
    expect(spec.description).toBeUndefined();
    expect(spec.segments).toEqual([{ name: 'lan', bandwidth: 1_000_000_000, latency: 10 * USEC, queue: 100, pos: { line: 2, column: 13 } }]);
    const h = spec.hosts[0];
    expect(h.role).toBeUndefined();
    expect(h.position).toBeUndefined();
    expect(h.sysctl).toEqual([]);
    expect(h.commands).toEqual([]);
    expect(h.services).toEqual([]);
    const eth0 = h.interfaces[0];
    expect(eth0.mac).toBeUndefined();
    expect(eth0.addresses).toEqual([]);
    expect(eth0.latency).toBeUndefined();
    expect(eth0.bandwidth).toBeUndefined();
    expect(spec.timeline).toEqual([]);
    expect(spec.expect).toEqual([]);
    expect(spec.traffic).toEqual([]);
  });

  it('reads empty values as empty collections', () => {
    const spec = loadScenario(yaml('name: t', 'segments:', '  lan:', 'hosts:', '  h:', 'timeline:', 'expect:', 'traffic:'), 't.yaml');
    expect(spec.segments.map((s) => [s.name, s.queue])).toEqual([['lan', 100]]);
    expect(spec.hosts[0].name).toBe('h');
    expect(spec.hosts[0].interfaces).toEqual([]);
    expect(spec.timeline).toEqual([]);
  });

  it('takes a host with no segments and no interfaces (it has only lo)', () => {
    const spec = loadScenario(yaml('name: t', 'hosts: { lonely: {} }'), 't.yaml');
    expect(spec.segments).toEqual([]);
    expect(spec.hosts[0].interfaces).toEqual([]);
  });

  it('overrides defaults when given', () => {
    const spec = loadScenario(
      yaml('name: t', 'seed: 42', 'duration: 1.5s', 'segments: { wan: { bandwidth: 100Mbit, latency: 2ms, queue: 7 } }', 'hosts: { h: {} }'),
      't.yaml',
    );
    expect(spec.seed).toBe(42);
    expect(spec.duration).toBe(1500 * MSEC);
    expect(spec.segments[0]).toMatchObject({ bandwidth: 100_000_000, latency: 2 * MSEC, queue: 7 });
  });

  it('accepts seed 0', () => {
    expect(loadScenario(yaml('name: t', 'seed: 0', 'hosts: { h: {} }'), 't.yaml').seed).toBe(0);
  });
});

describe('loadScenario: order, loopback, typing', () => {
  it('keeps segments, hosts, interfaces, sysctls and entries in file order', () => {
    const spec = loadScenario(
      yaml(
        'name: t',
        'segments: { zeta: {}, alpha: {} }',
        'hosts:',
        '  zz:',
        '    interfaces: { eth1: { segment: zeta }, eth0: { segment: alpha } }',
        '    sysctl: { net.ipv4.ip_forward: 1, net.ipv4.conf.all.arp_ignore: 1, net.ipv4.conf.all.arp_announce: 2 }',
        '  aa: {}',
        'timeline:',
        '  - { at: 2s, host: aa, run: b }',
        '  - { at: 1s, host: zz, run: a }',
      ),
      't.yaml',
    );
    expect(spec.segments.map((s) => s.name)).toEqual(['zeta', 'alpha']);
    expect(spec.hosts.map((h) => h.name)).toEqual(['zz', 'aa']);
    expect(spec.hosts[0].interfaces.map((i) => i.name)).toEqual(['eth1', 'eth0']);
    expect(spec.hosts[0].sysctl.map((s) => `${s.key}=${s.value}`)).toEqual([
      'net.ipv4.ip_forward=1',
      'net.ipv4.conf.all.arp_ignore=1',
      'net.ipv4.conf.all.arp_announce=2',
    ]);
    expect(spec.timeline.map((t) => (t.action.kind === 'run' ? t.action.run : ''))).toEqual(['b', 'a']);
  });

  it('declaring lo adds addresses and needs no segment', () => {
    const spec = loadScenario(
      withHosts('  rs1:', '    interfaces:', '      eth0: { segment: lan }', '      lo:', '        addresses: [192.168.1.110/32]'),
      't.yaml',
    );
    const lo = spec.hosts[0].interfaces[1];
    expect(lo.name).toBe('lo');
    expect(lo.segment).toBeUndefined();
    expect(lo.addresses.map((a) => a.text)).toEqual(['192.168.1.110/32']);
    expect(lo.addresses[0].cidr).toEqual({ address: parseIpv4('192.168.1.110'), prefixLen: 32 });
  });

  it('keeps sysctl values as the text the file wrote', () => {
    const spec = loadScenario(
      withHosts('  h:', '    sysctl:', '      a.b: 0x10', '      a.c: true', '      a.d: 1.50', '      a.e: "quoted"', '      a.f: 1 2 3'),
      't.yaml',
    );
    expect(spec.hosts[0].sysctl.map((s) => s.value)).toEqual(['0x10', 'true', '1.50', 'quoted', '1 2 3']);
  });

  it('reads YAML 1.2 core typing: yes is text, a MAC is text, lower-cased', () => {
    const spec = loadScenario(
      withHosts('  yes:', '    interfaces:', '      eth0: { segment: lan, mac: 02:AB:00:00:00:0F }', 'timeline:', '  - { at: 0s, host: yes, run: echo }'),
      't.yaml',
    );
    expect(spec.hosts[0].name).toBe('yes');
    expect(spec.hosts[0].interfaces[0].mac).toBe('02:ab:00:00:00:0f');
    expect(spec.timeline[0].host).toBe('yes');
  });

  it('reads a numeric host name as the text the file wrote', () => {
    const spec = loadScenario(yaml('name: t', 'hosts: { 01: {} }', 'timeline: [{ at: 0s, host: 01, run: x }]'), 't.yaml');
    expect(spec.hosts[0].name).toBe('01');
    expect(spec.timeline[0].host).toBe('01');
  });

  it('reads every role', () => {
    for (const role of ['client', 'router', 'director', 'real-server', 'server'] as const) {
      expect(loadScenario(yaml('name: t', `hosts: { h: { role: ${role} } }`), 't.yaml').hosts[0].role).toBe(role);
    }
  });

  it('reads the other output tests and count bounds', () => {
    const spec = loadScenario(
      withHosts(
        '  h: {}',
        'expect:',
        '  - { at: 1s, host: h, run: ipvsadm -Ln, output: { equals: "" } }',
        '  - { at: 1ms, host: h, run: ip addr, output: { matches: "inet 10\\\\.0\\\\.0\\\\.[0-9]+" } }',
        '  - count: {}',
        '    atLeast: 2',
        '    atMost: 5',
        '  - { count: { kind: rx, host: h, pkt: { ip: { ttl: 64 }, tcp: { flags: SA } } }, atMost: 0 }',
      ),
      't.yaml',
    );
    const [a, b, c, d] = spec.expect as [OutputExpectSpec, OutputExpectSpec, CountExpectSpec, CountExpectSpec];
    expect(a.output).toEqual({ equals: '' });
    expect(b.output).toEqual({ matches: 'inet 10\\.0\\.0\\.[0-9]+' });
    expect(new RegExp(b.output.matches!).test('inet 10.0.0.7')).toBe(true);
    expect(b.at).toBe(1 * MSEC);
    expect([c.atLeast, c.atMost, c.equals]).toEqual([2, 5, undefined]);
    expect(Object.keys(c.filter)).toEqual([]);
    expect(d.atMost).toBe(0);
    const pkt = d.filter.pkt as Record<string, Record<string, unknown>>;
    expect(pkt.ip.ttl).toBe(64);
    expect(pkt.tcp.flags).toBe('SA');
  });
});

describe('loadScenario: extensions', () => {
  it('reads services with defaults', () => {
    const spec = loadScenario(
      withHosts(
        '  web:',
        '    services:',
        '      - port: 80',
        '      - { port: 53, protocol: udp, response: 1KiB }',
        '      - { port: 53, response: 1.5KB }',
      ),
      't.yaml',
    );
    expect(spec.hosts[0].services).toEqual([
      { protocol: 'tcp', app: 'http', port: 80, response: 512, pos: { line: 7, column: 9 } },
      { protocol: 'udp', app: 'dns', port: 53, response: 1024, pos: { line: 8, column: 9 } },
      { protocol: 'tcp', app: 'http', port: 53, response: 1500, pos: { line: 9, column: 9 } },
    ]);
  });

  it('reads traffic with defaults', () => {
    const spec = loadScenario(
      withHosts(
        '  client: {}',
        'traffic:',
        '  - { at: 1s, from: client, to: 192.168.1.110:80 }',
        '  - { at: 2s, from: client, to: 10.0.0.1:5353, protocol: udp, request: 100B, count: 10, interval: 100ms }',
      ),
      't.yaml',
    );
    expect(spec.traffic).toEqual([
      { at: 1 * S, from: 'client', to: parseIpv4('192.168.1.110'), port: 80, protocol: 'tcp', request: 64, count: 1, interval: 1 * S, pos: { line: 7, column: 5 } },
      { at: 2 * S, from: 'client', to: parseIpv4('10.0.0.1'), port: 5353, protocol: 'udp', request: 100, count: 10, interval: 100 * MSEC, pos: { line: 8, column: 5 } },
    ]);
  });
});
