import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importConfig, Lab } from '../../../src/lab/index.ts';
import type { Diagnostic } from '../../../src/admin/importers/index.ts';

/**
 * `lvs-lab import keepalived.conf|ldirectord.cf --topology`: the daemon goes onto the given director as its
 * `keepalived:` / `ldirectord:` block (not static ipvsadm lines), the topology's hosts stay as written, and a
 * check the topology's real servers do not answer is warned about at its line.
 */

const SEEDS = new URL('../../fixtures/seeds/', import.meta.url);
const seed = (f: string) => readFileSync(new URL(f, SEEDS), 'utf8');

type Ev = Record<string, unknown>;
const evs = (lab: Lab, filter: Ev): Ev[] => (lab.events as unknown as Ev[]).filter((e) => Object.entries(filter).every(([k, v]) => e[k] === v));
const failed = (lab: Lab) => lab.expectations().filter((e) => !e.pass).map((e) => JSON.stringify(e));
const ipvsList = (lab: Lab, host: string): string => {
  let out = '';
  lab.runCommand(host, 'ipvsadm -L -n', (r) => (out = r.output));
  lab.runUntil(lab.now() + 1_000_000);
  return out;
};

/** Seed 004's blog network: the director `lvs` (eth1 outside, eth0 inside), web1, web2 and the sorry server. */
function blogTopology(web1Service: string): string {
  return [
    'name: seed 004 on its own network',
    'duration: 12s',
    'segments: { outside: {}, inside: {} }',
    'hosts:',
    '  client:',
    '    interfaces: { eth0: { segment: outside, addresses: [192.168.10.24/24] } }',
    '  lvs:',
    '    interfaces:',
    '      eth1: { segment: outside, addresses: [192.168.10.11/24] }',
    '      eth0: { segment: inside, addresses: [192.168.20.108/24] }',
    '    commands: [ "echo 1 > /proc/sys/net/ipv4/ip_forward" ]',
    '  web1:',
    '    interfaces: { eth0: { segment: inside, addresses: [192.168.20.110/24] } }',
    '    commands: [ "ip route add default via 192.168.20.108" ]',
    `    services: [ ${web1Service} ]`,
    '  web2:',
    '    interfaces: { eth0: { segment: inside, addresses: [192.168.20.111/24] } }',
    '    commands: [ "ip route add default via 192.168.20.108" ]',
    '    services: [ { port: 80, check: { path: /index.html, body: "fine\\n" } } ]',
    '  sorry:',
    '    interfaces: { eth0: { segment: inside, addresses: [192.168.20.113/24] } }',
    '    commands: [ "ip route add default via 192.168.20.108" ]',
    '    services: [ { port: 80 } ]',
    'traffic:',
    '  - { at: 6s, from: client, to: 192.168.10.100:80, count: 4, interval: 200ms }',
    '',
  ].join('\n');
}

function onto(file: string, text: string, topology: string, directorHost: string, haresources?: string): { yaml: string; diagnostics: Diagnostic[] } {
  const r = importConfig(text, { file, topology: { text: topology, file: 'topo.yaml', directorHost }, ...(haresources ? { haresources: { text: seed(haresources), file: haresources } } : {}) });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.scenarioYaml).toBeDefined();
  return { yaml: r.scenarioYaml as string, diagnostics: r.diagnostics };
}

describe('import --topology: a keepalived.conf runs as the given director\'s keepalived', () => {
  const conf = seed('seed004-keepalived-nat-sorry.conf');

  it('the real servers serve the check: the keepalived: block, every server up, the import\'s own expectations pass', () => {
    const { yaml, diagnostics } = onto('seed004-keepalived-nat-sorry.conf', conf, blogTopology('{ port: 80, check: { path: /index.html, body: "fine\\n" } }'), 'lvs');
    expect(diagnostics.filter((d) => d.code === 'IMPORT_CHECK_UNSERVED' || d.code === 'IMPORT_NO_HOST')).toEqual([]);
    // The peer warning: the seed's instance is one half of a pair, and the topology has no second director.
    expect(diagnostics.filter((d) => d.code === 'IMPORT_VRRP_ALONE').map((d) => d.line)).toEqual([11]);
    expect(yaml).toMatch(/\n {4}keepalived:\n/);
    expect(yaml).not.toMatch(/ipvsadm -[Aa] /);
    // VRRP adds the VIP on the director's interface on its network (eth1 here), not the static ip addr add.
    expect(yaml).toContain('192.168.10.100 dev eth1');
    expect(yaml).not.toContain('ip addr add 192.168.10.100');
    // The topology's hosts are as written: no service was added to them, no host generated.
    expect(yaml).toContain('services: [ { port: 80, check: { path: /index.html, body: "fine\\n" } } ]');
    expect(yaml).not.toMatch(/^ {2}rs\d:/m);
    // The added check waits for the daemons: VRRP MASTER at 3.609 s, plus a second.
    expect(yaml).toMatch(/at: 5s\n\s+host: lvs\n\s+run: ipvsadm -L -n/);
    const lab = Lab.fromText(yaml, { file: 'onto.yaml' });
    lab.run();
    expect(failed(lab)).toEqual([]);
    expect(lab.expectations().length).toBe(1);
    for (const s of ['192.168.20.110:80', '192.168.20.111:80']) {
      expect(evs(lab, { kind: 'health', host: 'lvs', server: s }).map((e) => e.event)).toEqual(['up']);
    }
    expect(evs(lab, { kind: 'vrrp', host: 'lvs', instance: 'VI_1', to: 'MASTER' })).toHaveLength(1);
    expect(evs(lab, { kind: 'app', host: 'client', event: 'response' })).toHaveLength(4);
    const list = ipvsList(lab, 'lvs');
    expect(list).toContain('TCP  192.168.10.100:80 lc');
    expect(list).toMatch(/-> 192\.168\.20\.110:80\s+Masq\s+1/);
    expect(list).toMatch(/-> 192\.168\.20\.111:80\s+Masq\s+1/);
    expect(list).not.toContain('192.168.20.113');
  });

  it('a real server that does not serve the check: a warning at the HTTP_GET\'s line, and keepalived takes it down', () => {
    const { yaml, diagnostics } = onto('seed004-keepalived-nat-sorry.conf', conf, blogTopology('{ port: 8080 }'), 'lvs');
    const unserved = diagnostics.filter((d) => d.code === 'IMPORT_CHECK_UNSERVED');
    expect(unserved.map((d) => `${d.file}:${d.line}`)).toEqual(['seed004-keepalived-nat-sorry.conf:39']);
    expect(conf.split('\n')[38]).toBe('HTTP_GET {');
    expect(unserved[0].severity).toBe('warning');
    expect(unserved[0].message).toContain('real server 192.168.20.110');
    expect(unserved[0].message).toContain('web1');
    expect(unserved[0].message).toContain('will fail until that host serves it');
    // web1 stays as written.
    expect(yaml).toContain('services: [ { port: 8080 } ]');
    const lab = Lab.fromText(yaml, { file: 'onto.yaml' });
    lab.run();
    // The services are still there (the import's check), web1 is down at weight 0 (inhibit_on_failure), web2 up.
    expect(failed(lab)).toEqual([]);
    expect(evs(lab, { kind: 'health', server: '192.168.20.110:80', event: 'down' }).map((e) => e.action)).toEqual(['weight 0']);
    expect(evs(lab, { kind: 'health', server: '192.168.20.111:80' }).map((e) => e.event)).toEqual(['up']);
    const list = ipvsList(lab, 'lvs');
    expect(list).toMatch(/-> 192\.168\.20\.110:80\s+Masq\s+0/);
    expect(list).toMatch(/-> 192\.168\.20\.111:80\s+Masq\s+1/);
  });

  it('a real server no host holds is warned about; a VRRP interface the director lacks is an error at its line', () => {
    const noWeb2 = blogTopology('{ port: 80 }').replace(/ {2}web2:\n(?: {4}.*\n)+/, '');
    const { diagnostics } = onto('seed004-keepalived-nat-sorry.conf', conf, noWeb2, 'lvs');
    expect(diagnostics.filter((d) => d.code === 'IMPORT_NO_HOST').map((d) => [d.line, d.message.split(':')[0]])).toEqual([[53, 'real server 192.168.20.111']]);
    expect(conf.split('\n')[52]).toBe('HTTP_GET {');
    const wrongIf = importConfig(conf.replace('interface eth0', 'interface bond0'), { file: 'ka.conf', topology: { text: blogTopology('{ port: 80 }'), file: 'topo.yaml', directorHost: 'lvs' } });
    expect(wrongIf.scenarioYaml).toBeUndefined();
    expect(wrongIf.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'ka.conf:11: (VI_1) interface bond0: the topology\'s director lvs has no such interface',
    ]);
  });

  it('a run too short for the added check is lengthened, with a warning', () => {
    const { yaml, diagnostics } = onto('seed004-keepalived-nat-sorry.conf', conf, blogTopology('{ port: 80 }').replace('duration: 12s', 'duration: 3s'), 'lvs');
    expect(diagnostics.filter((d) => d.code === 'IMPORT_DURATION').map((d) => `${d.file} ${d.message}`)).toEqual([
      'topo.yaml the run is lengthened from 3000 ms to 5500 ms so that the added ipvsadm -L -n check at 5000 ms, once the daemons are ready, runs',
    ]);
    const lab = Lab.fromText(yaml, { file: 'short.yaml' });
    lab.run();
    expect(lab.now()).toBe(5_500_000_000);
    expect(failed(lab)).toEqual([]);
  });

  it('a VRRP peer in the topology: no peer warning', () => {
    const peer = blogTopology('{ port: 80 }').replace(
      '  web1:',
      ['  lvs2:', '    interfaces: { eth0: { segment: inside, addresses: [192.168.20.109/24] } }', '    keepalived:', '      vrrp_instances:', '        VI_1: { interface: eth0, virtual_router_id: 51, priority: 50, virtual_ipaddress: [192.168.20.200/24] }', '  web1:'].join('\n'),
    );
    const { diagnostics } = onto('seed004-keepalived-nat-sorry.conf', conf, peer, 'lvs');
    expect(diagnostics.filter((d) => d.code === 'IMPORT_VRRP_ALONE')).toEqual([]);
  });
});

describe('import --topology: an ldirectord.cf runs as the given director\'s ldirectord', () => {
  /** Seed 002's DR cluster: the director, two real servers holding the VIP on lo. */
  const topology = (rs2Check: string) =>
    [
      'name: seed 002 on its own network',
      'segments: { lan: {}, out: {} }',
      'hosts:',
      '  client:',
      '    interfaces: { eth0: { segment: out, addresses: [10.10.20.5/24] } }',
      '    commands: [ "ip route add default via 10.10.20.1" ]',
      '  gw:',
      '    interfaces:',
      '      eth0: { segment: out, addresses: [10.10.20.1/24] }',
      '      eth1: { segment: lan, addresses: [10.10.10.1/24] }',
      '      eth2: { segment: lan, addresses: [192.168.200.1/24] }',
      '    sysctl: { net.ipv4.ip_forward: 1 }',
      '  ld:',
      '    interfaces:',
      '      eth0: { segment: lan, addresses: [10.10.10.2/24] }',
      '      eth1: { segment: lan, addresses: [192.168.200.2/24] }',
      '    commands: [ "ip route add default via 10.10.10.1" ]',
      ...[['rs1', '102', '{ port: 80, check: { path: /check.txt, body: "webserverisworking" } }'], ['rs2', '103', rs2Check]].flatMap(([n, a, svc]) => [
        `  ${n}:`,
        `    interfaces: { eth0: { segment: lan, addresses: [192.168.200.${a}/24] } }`,
        '    sysctl: { net.ipv4.conf.all.arp_ignore: 1, net.ipv4.conf.all.arp_announce: 2 }',
        '    commands: [ "ip addr add 10.10.10.53/32 dev lo", "ip route add default via 192.168.200.1" ]',
        `    services: [ ${svc} ]`,
      ]),
      'traffic:',
      '  - { at: 2s, from: client, to: 10.10.10.53:80, count: 2, interval: 200ms }',
      '',
    ].join('\n');
  const cf = seed('seed002-ldirectord.cf');

  it('the ldirectord: block with the haresources VIP; rs1 serves the receive text, rs2 a body it does not match: a warning at request=, rs2 never comes up', () => {
    const { yaml, diagnostics } = onto('seed002-ldirectord.cf', cf, topology('{ port: 80, check: { path: /check.txt, body: "it works" } }'), 'ld', 'seed002-haresources');
    const unserved = diagnostics.filter((d) => d.code === 'IMPORT_CHECK_UNSERVED');
    expect(unserved.map((d) => [d.line, d.message.split(',')[0]])).toEqual([[12, 'the check of real server 192.168.200.103 needs host rs2 to serve /check.txt on port 80 with a body the check accepts']]);
    expect(cf.split('\n')[11]).toBe('\trequest="/check.txt"');
    expect(yaml).toMatch(/\n {4}ldirectord:\n/);
    expect(yaml).not.toMatch(/ipvsadm -[Aa] /);
    expect(yaml).toMatch(/commands: \[ "ip route add default via 10.10.10.1", ip addr add 10.10.10.53\/24 dev eth0, ipvsadm --start-daemon master \]/);
    // ldirectord's first round comes at start-up: the added check runs at 1 s.
    expect(yaml).toMatch(/at: 1s\n\s+host: ld\n\s+run: ipvsadm -L -n/);
    const lab = Lab.fromText(yaml, { file: 'ld.yaml' });
    lab.run();
    expect(failed(lab)).toEqual([]);
    expect(evs(lab, { kind: 'health', host: 'ld', server: '192.168.200.102:80' }).map((e) => e.event)).toEqual(['up']);
    expect(evs(lab, { kind: 'health', host: 'ld', server: '192.168.200.103:80', event: 'up' })).toEqual([]);
    const list = ipvsList(lab, 'ld');
    expect(list).toContain('TCP  10.10.10.53:80 lblc persistent 100');
    expect(list).toMatch(/-> 192\.168\.200\.102:80\s+Route\s+1/);
    expect(list).not.toContain('192.168.200.103');
    expect(evs(lab, { kind: 'app', host: 'client', event: 'response' })).toHaveLength(2);
  });
});

describe('import --topology: an ipvsadm -S table still becomes static lines', () => {
  it('ipvsadm-save onto a topology: ip addr-less ipvsadm lines on the director, no daemon block, the check at 1 s', () => {
    const r = importConfig(seed('seed002-ipvsadm-save-from-listing.txt'), {
      file: 'save.txt',
      topology: { text: 'name: t\nhosts:\n  director:\n    interfaces: { eth0: { segment: lan, addresses: [10.10.10.2/24] } }\nsegments: { lan: {} }\n', file: 'topo.yaml' },
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const yaml = r.scenarioYaml as string;
    expect(yaml).toMatch(/- ipvsadm -A -t 10\.10\.10\.53:80 -s lblc\n/);
    expect(yaml).not.toMatch(/keepalived:|ldirectord:/);
    expect(yaml).toMatch(/at: 1s\n\s+host: director\n\s+run: ipvsadm -L -n/);
  });
});
