import { describe, expect, it } from 'vitest';
import { errorOf, withHosts, yaml } from './helpers.ts';

/** [line, column, path] of an error: what every assertion below pins down. */
function where(text: string): [number, number, string] {
  const e = errorOf(text);
  return [e.line, e.column, e.path];
}

describe('required keys: reported at the mapping that lacks them', () => {
  it('name', () => {
    const e = errorOf(yaml('# a comment', 'hosts: { h: {} }'));
    expect(e.message).toBe("test.yaml:2:1: name: expected a name: key with the scenario's title, got no name: key");
  });

  it('hosts', () => {
    expect(where(yaml('name: t', 'seed: 3'))).toEqual([1, 1, 'hosts']);
    expect(errorOf(yaml('name: t')).expected).toContain('hosts: mapping');
  });

  it('hosts with no host in it', () => {
    expect(where(yaml('name: t', 'hosts: {}'))).toEqual([2, 8, 'hosts']);
    expect(where(yaml('name: t', 'hosts:'))).toEqual([2, 1, 'hosts']);
  });

  it('an interface without segment (block and flow mappings)', () => {
    const block = errorOf(withHosts('  rs1:', '    interfaces:', '      eth0:', '        mac: 02:00:00:00:00:01'));
    expect([block.line, block.column, block.path]).toEqual([8, 9, 'hosts.rs1.interfaces.eth0.segment']);
    expect(block.expected).toBe('a segment: key naming the segment this interface plugs into');
    expect(where(withHosts('  rs1:', '    interfaces:', '      eth0: { addresses: [10.0.0.1/8] }'))).toEqual([7, 13, 'hosts.rs1.interfaces.eth0.segment']);
    // An interface with no value at all: the position of its key.
    expect(where(withHosts('  rs1:', '    interfaces:', '      eth0:'))).toEqual([7, 7, 'hosts.rs1.interfaces.eth0.segment']);
  });

  it('a timeline entry without run', () => {
    expect(where(withHosts('  h: {}', 'timeline:', '  - at: 1s', '    host: h'))).toEqual([7, 5, 'timeline[0].run']);
  });

  it('an output expectation without output', () => {
    expect(where(withHosts('  h: {}', 'expect:', '  - { at: 1s, host: h, run: x }'))).toEqual([7, 5, 'expect[0].output']);
  });

  it('a service without port, a traffic entry without to', () => {
    expect(where(withHosts('  h:', '    services:', '      - { protocol: udp }'))).toEqual([7, 9, 'hosts.h.services[0].port']);
    expect(where(withHosts('  h: {}', 'traffic:', '  - { at: 1s, from: h }'))).toEqual([7, 5, 'traffic[0].to']);
  });
});

describe('cross references', () => {
  it('an interface segment must be declared', () => {
    const e = errorOf(withHosts('  rs1:', '    interfaces:', '      eth0: { segment: lam }'));
    expect(e.message).toBe('test.yaml:7:24: hosts.rs1.interfaces.eth0.segment: expected a segment declared under segments: lan, got "lam"');
  });

  it('a timeline host must be declared', () => {
    const e = errorOf(withHosts('  router: {}', 'timeline:', '  - { at: 1s, host: rooter, run: ping -c 1 10.0.0.1 }'));
    expect(e.message).toBe('test.yaml:7:21: timeline[0].host: expected a host declared under hosts: router, got "rooter"');
  });

  it('an output expectation host must be declared', () => {
    expect(where(withHosts('  h: {}', 'expect:', '  - at: 1s', '    host: x', '    run: ip addr', '    output: { contains: a }'))).toEqual([
      8,
      11,
      'expect[0].host',
    ]);
  });

  it("a count filter's host must be declared", () => {
    expect(where(withHosts('  h: {}', 'expect:', '  - { count: { kind: tx, host: hh }, equals: 0 }'))).toEqual([7, 32, 'expect[0].count.host']);
  });

  it('a traffic source must be declared', () => {
    expect(where(withHosts('  h: {}', 'traffic:', '  - { at: 1s, from: client, to: 10.0.0.1:80 }'))).toEqual([7, 21, 'traffic[0].from']);
  });

  it('segments declared after the hosts that use them are found', () => {
    expect(() => errorOf(yaml('name: t', 'hosts: { h: { interfaces: { eth0: { segment: lan } } } }', 'segments: { lan: {} }'))).toThrow(
      'but the scenario loaded',
    );
  });
});

describe('unknown and duplicate keys', () => {
  it('an unknown top-level key', () => {
    const e = errorOf(yaml('name: t', 'hosts: { h: {} }', 'workloads: {}'));
    expect(e.message).toMatch(/^test\.yaml:3:1: workloads: expected one of the keys name, description, seed, duration, segments, hosts, timeline, expect, traffic, .*\bworkload\b.*, got "workloads"$/);
  });

  it('an unknown key at depth', () => {
    const e = errorOf(withHosts('  rs1:', '    interfaces:', '      eth0:', '        segment: lan', '        mtu: 1500'));
    expect([e.line, e.column, e.path, e.got]).toEqual([9, 9, 'hosts.rs1.interfaces.eth0.mtu', '"mtu"']);
    expect(e.expected).toBe('one of the keys segment, mac, addresses, latency, bandwidth');
  });

  it('unknown keys in a segment, a host, a service, an output test, a traffic entry', () => {
    expect(where(yaml('name: t', 'segments: { lan: { delay: 1ms } }', 'hosts: { h: {} }'))).toEqual([2, 20, 'segments.lan.delay']);
    expect(where(withHosts('  h: { cpu: { per_packet: 1us, cores: 2 } }'))).toEqual([5, 32, 'hosts.h.cpu.cores']);
    expect(where(withHosts('  h: { cpu: { backlog: 1.5 } }'))).toEqual([5, 24, 'hosts.h.cpu.backlog']);
    expect(where(withHosts('  h: { services: [{ port: 80, weight: 1 }] }'))).toEqual([5, 31, 'hosts.h.services[0].weight']);
    expect(where(withHosts('  h: {}', 'expect: [{ at: 1s, host: h, run: x, output: { contain: y } }]'))).toEqual([6, 47, 'expect[0].output.contain']);
    expect(where(withHosts('  h: {}', 'traffic: [{ at: 1s, from: h, to: 1.2.3.4:5, rate: 1 }]'))).toEqual([6, 45, 'traffic[0].rate']);
  });

  it('a duplicate key is an error at its second occurrence', () => {
    const e = errorOf(withHosts('  rs1:', '    interfaces:', '      eth0: { segment: lan }', '      eth0: { segment: lan }'));
    expect(e.message).toBe('test.yaml:8:7: hosts.rs1.interfaces.eth0: expected each key once in a mapping ("eth0" is first at line 7, column 7), got "eth0" again');
  });

  it('duplicates count by the text of the key, quoted or not', () => {
    expect(where(yaml('name: t', 'hosts: { h: {}, "h": {} }'))).toEqual([2, 17, 'hosts.h']);
    expect(where(yaml('name: t', "name: 'u'", 'hosts: { h: {} }'))).toEqual([2, 1, 'name']);
  });
});

describe('values', () => {
  it('addresses must be A.B.C.D/N', () => {
    for (const bad of ['192.168.1.1', '10/8', '300.1.1.1/24', '1.2.3.4/33', '1.2.3.4/', 'lan', '1.2.3.4/24/1']) {
      const e = errorOf(withHosts('  h:', '    interfaces:', `      eth0: { segment: lan, addresses: [10.0.0.1/8, ${bad}] }`));
      expect([e.line, e.column, e.path, e.got]).toEqual([7, 53, 'hosts.h.interfaces.eth0.addresses[1]', JSON.stringify(bad)]);
      expect(e.expected).toBe('an address with its prefix length, A.B.C.D/N');
    }
    expect(where(withHosts('  h: { interfaces: { eth0: { segment: lan, addresses: 10.0.0.1/8 } } }'))).toEqual([5, 55, 'hosts.h.interfaces.eth0.addresses']);
  });

  it('a MAC must be a valid unicast address', () => {
    for (const bad of ['02:00:00:00:00', '02-00-00-00-00-01', '01:00:5e:00:00:01', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '0200.0000.0001']) {
      const e = errorOf(withHosts('  h:', '    interfaces:', '      eth0:', '        segment: lan', `        mac: ${bad}`));
      expect([e.line, e.column, e.path]).toEqual([9, 14, 'hosts.h.interfaces.eth0.mac']);
    }
  });

  it('position must be two numbers', () => {
    for (const bad of ['[1]', '[1, 2, 3]', '[a, 2]', '{ x: 1 }', '12']) {
      expect(where(withHosts(`  h: { position: ${bad} }`))).toEqual(
        bad === '[a, 2]' ? [5, 19, 'hosts.h.position[0]'] : [5, 18, 'hosts.h.position'],
      );
    }
  });

  it('role must be one of the list', () => {
    const e = errorOf(withHosts('  h: { role: balancer }'));
    expect(e.message).toBe('test.yaml:5:14: hosts.h.role: expected a role: one of client, router, director, real-server, server, got "balancer"');
  });

  it('seed must be a non-negative integer', () => {
    for (const bad of ['-1', '1.5', '"1"', 'one', '[1]']) {
      const e = errorOf(yaml('name: t', `seed: ${bad}`, 'hosts: { h: {} }'));
      expect([e.line, e.column, e.path, e.expected]).toEqual([2, 7, 'seed', 'a seed: a non-negative integer']);
    }
  });

  it('queue must be a positive integer', () => {
    for (const bad of ['0', '-3', '2.5', '10p']) {
      expect(where(yaml('name: t', `segments: { lan: { queue: ${bad} } }`, 'hosts: { h: {} }'))).toEqual([2, 27, 'segments.lan.queue']);
    }
  });

  it('name must be non-empty text', () => {
    expect(where(yaml('name: ""', 'hosts: { h: {} }'))).toEqual([1, 7, 'name']);
    expect(where(yaml('name:', 'hosts: { h: {} }'))).toEqual([1, 1, 'name']);
    expect(where(yaml('name: [a]', 'hosts: { h: {} }'))).toEqual([1, 7, 'name']);
  });

  it('host, segment and interface names are checked at their keys', () => {
    expect(where(yaml('name: t', 'hosts: { "real server": {} }'))).toEqual([2, 10, 'hosts.real server']);
    expect(where(yaml('name: t', 'segments: { -lan: {} }', 'hosts: { h: {} }'))).toEqual([2, 13, 'segments.-lan']);
    const long = errorOf(withHosts('  h: { interfaces: { averyveryverylongname: { segment: lan } } }'));
    expect([long.line, long.column, long.path]).toEqual([5, 22, 'hosts.h.interfaces.averyveryverylongname']);
    expect(long.expected).toContain('1 to 15 characters');
    expect(where(withHosts('  h: { interfaces: { "eth0:1": { segment: lan } } }'))).toEqual([5, 22, 'hosts.h.interfaces.eth0:1']);
  });

  it('commands are single lines of text', () => {
    const map = errorOf(withHosts('  h:', '    commands:', '      - echo a: b'));
    expect([map.line, map.column, map.path, map.got]).toEqual([7, 9, 'hosts.h.commands[0]', 'a mapping']);
    expect(map.expected).toContain('quote it');
    expect(where(withHosts('  h:', '    commands:', '      - |', '        ip addr', '        ip route'))).toEqual([7, 9, 'hosts.h.commands[0]']);
    expect(where(withHosts('  h:', '    commands: ip addr'))).toEqual([6, 15, 'hosts.h.commands']);
    expect(where(withHosts('  h:', '    commands:', '      - ""'))).toEqual([7, 9, 'hosts.h.commands[0]']);
  });

  it('sysctl values are scalars', () => {
    expect(where(withHosts('  h:', '    sysctl:', '      net.ipv4.ip_forward: [1]'))).toEqual([7, 28, 'hosts.h.sysctl.net.ipv4.ip_forward']);
    expect(where(withHosts('  h:', '    sysctl:', '      net.ipv4.ip_forward:'))).toEqual([7, 7, 'hosts.h.sysctl.net.ipv4.ip_forward']);
    expect(where(withHosts('  h:', '    sysctl:', '      "net ipv4": 1'))).toEqual([7, 7, 'hosts.h.sysctl.net ipv4']);
  });

  it('lists and mappings where the other is expected', () => {
    expect(where(yaml('name: t', 'hosts: [h]'))).toEqual([2, 8, 'hosts']);
    expect(where(yaml('name: t', 'hosts: { h: {} }', 'timeline: { at: 1s }'))).toEqual([3, 11, 'timeline']);
    expect(where(yaml('name: t', 'hosts: { h: {} }', 'expect: [tx]'))).toEqual([3, 10, 'expect[0]']);
  });
});

describe('the loopback interface', () => {
  it('lo with a segment is an error at the segment key', () => {
    const e = errorOf(withHosts('  h:', '    interfaces:', '      lo: { segment: lan, addresses: [10.0.0.1/32] }'));
    expect([e.line, e.column, e.path]).toEqual([7, 13, 'hosts.h.interfaces.lo.segment']);
    expect(e.expected).toContain('no segment on lo');
  });

  it('lo takes only addresses', () => {
    const e = errorOf(withHosts('  h:', '    interfaces:', '      lo: { mac: 02:00:00:00:00:01 }'));
    expect([e.line, e.column, e.path]).toEqual([7, 13, 'hosts.h.interfaces.lo.mac']);
    expect(e.expected).toContain('only addresses on lo');
  });
});

describe('expectations have exactly one form', () => {
  it('a count with no bound', () => {
    const e = errorOf(withHosts('  h: {}', 'expect:', '  - count: { kind: tx }'));
    expect([e.line, e.column, e.path, e.expected]).toEqual([7, 5, 'expect[0].equals', 'equals:, atLeast: or atMost: with the count: filter']);
  });

  it('count mixed with the output form', () => {
    const e = errorOf(withHosts('  h: {}', 'expect:', '  - count: { kind: tx }', '    equals: 1', '    run: ip addr'));
    expect([e.line, e.column, e.path]).toEqual([9, 5, 'expect[0].run']);
  });

  it('a bound without count', () => {
    const e = errorOf(withHosts('  h: {}', 'expect:', '  - { at: 1s, host: h, run: x, output: { contains: y }, atLeast: 1 }'));
    expect([e.line, e.column, e.path]).toEqual([7, 57, 'expect[0].atLeast']);
    expect(e.expected).toContain('needs count:');
  });

  it('an empty expectation', () => {
    expect(where(withHosts('  h: {}', 'expect:', '  - {}'))).toEqual([7, 5, 'expect[0]']);
  });

  it('output with two tests or none', () => {
    const two = errorOf(withHosts('  h: {}', 'expect: [{ at: 1s, host: h, run: x, output: { contains: a, equals: b } }]'));
    expect([two.line, two.column, two.path, two.expected]).toEqual([6, 60, 'expect[0].output.equals', 'exactly one of contains, equals, matches, line']);
    expect(where(withHosts('  h: {}', 'expect: [{ at: 1s, host: h, run: x, output: {} }]'))).toEqual([6, 45, 'expect[0].output']);
  });

  it('matches must compile as a RegExp', () => {
    const e = errorOf(withHosts('  h: {}', 'expect:', '  - { at: 1s, host: h, run: x, output: { matches: "a(b" } }'));
    expect([e.line, e.column, e.path, e.expected]).toEqual([7, 51, 'expect[0].output.matches', 'a JavaScript regular expression']);
    expect(e.got).toContain('"a(b"');
  });

  it('a count filter is a mapping whose kind is text', () => {
    expect(where(withHosts('  h: {}', 'expect: [{ count: tx, equals: 1 }]'))).toEqual([6, 19, 'expect[0].count']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: { kind: 3 }, equals: 1 }]'))).toEqual([6, 27, 'expect[0].count.kind']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: { kind: { a: b } }, equals: 1 }]'))).toEqual([6, 27, 'expect[0].count.kind']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: { pkt: { ip: [1] } }, equals: 1 }]'))).toEqual([6, 32, 'expect[0].count.pkt.ip']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: { reason: }, equals: 1 }]'))).toEqual([6, 21, 'expect[0].count.reason']);
  });

  it('bounds are non-negative integers, atLeast no more than atMost', () => {
    expect(where(withHosts('  h: {}', 'expect: [{ count: {}, equals: -1 }]'))).toEqual([6, 31, 'expect[0].equals']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: {}, atLeast: 1.5 }]'))).toEqual([6, 32, 'expect[0].atLeast']);
    expect(where(withHosts('  h: {}', 'expect: [{ count: {}, atLeast: 5, atMost: 4 }]'))).toEqual([6, 43, 'expect[0].atMost']);
  });
});

describe('extensions: services and traffic', () => {
  it('service ports, protocols and duplicates', () => {
    expect(where(withHosts('  h: { services: [{ port: 0 }] }'))).toEqual([5, 27, 'hosts.h.services[0].port']);
    expect(where(withHosts('  h: { services: [{ port: 65536 }] }'))).toEqual([5, 27, 'hosts.h.services[0].port']);
    expect(where(withHosts('  h: { services: [{ port: 80, protocol: sctp }] }'))).toEqual([5, 41, 'hosts.h.services[0].protocol']);
    const dup = errorOf(withHosts('  h:', '    services:', '      - port: 80', '      - { port: 80, response: 1KB }'));
    expect([dup.line, dup.column, dup.path]).toEqual([8, 17, 'hosts.h.services[1].port']);
    // The same port over another protocol is another service.
    expect(() => errorOf(withHosts('  h: { services: [{ port: 53 }, { port: 53, protocol: udp }] }'))).toThrow('but the scenario loaded');
  });

  it('traffic destinations, counts and intervals', () => {
    for (const bad of ['192.168.1.110', '192.168.1.110:0', '192.168.1.110:70000', 'web:80', '1.2.3:80', '1.2.3.4:80:1']) {
      expect(where(withHosts('  h: {}', 'traffic:', `  - { at: 1s, from: h, to: ${bad} }`))).toEqual([7, 28, 'traffic[0].to']);
    }
    expect(where(withHosts('  h: {}', 'traffic:', '  - { at: 1s, from: h, to: 1.2.3.4:80, count: 0 }'))).toEqual([7, 47, 'traffic[0].count']);
    expect(where(withHosts('  h: {}', 'traffic:', '  - { at: 1s, from: h, to: 1.2.3.4:80, interval: 1 }'))).toEqual([7, 50, 'traffic[0].interval']);
    expect(where(withHosts('  h: {}', 'traffic:', '  - { at: 1s, from: h, to: 1.2.3.4:80, request: 10 }'))).toEqual([7, 49, 'traffic[0].request']);
  });
});

describe('YAML itself', () => {
  it('a syntax error is a ScenarioError at the position yaml reports', () => {
    const e = errorOf(yaml('name: t', 'hosts:', '  h: { a: 1', 'timeline: []'));
    expect(e.path).toBe('');
    expect(e.expected).toBe('valid YAML');
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^test\.yaml:\d+:\d+: \(document\): expected valid YAML, got /);
    const tab = errorOf('name: t\nhosts:\n\th: {}\n');
    expect([tab.line, tab.column]).toEqual([3, 1]);
  });

  it('an empty file and a file of only comments', () => {
    expect(errorOf('').message).toBe('test.yaml:1:1: (document): expected a scenario: a mapping with at least name: and hosts:, got an empty file');
    expect(errorOf('# nothing\n\n').got).toBe('an empty file');
  });

  it('a top level that is not a mapping', () => {
    expect(errorOf('- name: t\n').message).toBe('test.yaml:1:1: (document): expected a scenario: a mapping with at least name: and hosts:, got a list');
    expect(errorOf('\n  hello\n').message).toBe('test.yaml:2:3: (document): expected a scenario: a mapping with at least name: and hosts:, got "hello"');
  });

  it('several documents', () => {
    const e = errorOf(yaml('name: t', 'hosts: { h: {} }', '---', 'name: u'));
    expect([e.line, e.path, e.expected]).toEqual([3, '', 'valid YAML']);
  });

  it('uses the file name it is given', () => {
    expect(errorOf('', 'lessons/arp.yaml').message.startsWith('lessons/arp.yaml:1:1: ')).toBe(true);
  });
});
