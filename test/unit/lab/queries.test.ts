import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lab, MS, QueryRefused, whyNotReadOnly, type CommandResult } from '../../../src/lab/index.ts';

function text(name: string): string {
  return readFileSync(new URL(`../../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
}

/** Every listing a host panel shows. */
const LINES = [
  'ip neigh show',
  'ip neigh show nud all',
  'ip route show table all',
  'ip rule show',
  'ip addr show',
  'ip link show',
  'ipvsadm -L -n',
  'ipvsadm -L -n -c',
  'ipvsadm -L -n --stats',
  'ipvsadm -L -n --rate',
  'ipvsadm -Lnc',
  'sysctl -a',
  'sysctl net.ipv4.conf.all.arp_ignore',
  'iptables -L -n -v',
  'iptables -t nat -L -n -v',
  'iptables -t mangle -L -n -v',
  'arp -n',
  'route -n',
  'ifconfig',
  'cat /proc/sys/net/ipv4/ip_forward',
];

/** Looks at everything on every host, every way the panels do. */
function lookEverywhere(lab: Lab): void {
  const q = lab.queries;
  for (const h of lab.hostNames()) {
    for (const line of LINES) q.run(h, line);
    q.neighbours(h);
    q.interfaces(h);
    q.sysctls(h);
  }
}

const LESSONS = ['lessons/arp-problem', 'lessons/nat-basic', 'lessons/dr-basic', 'lessons/tun-basic', 'exercises/arp-problem-exercise'];

describe('Lab.queries: looking never changes the run', () => {
  it('the trace digest is the same with and without queries at many instants (fast-check over lessons and instants)', () => {
    const plain = new Map(LESSONS.map((l) => [l, Lab.fromText(text(l))]));
    for (const lab of plain.values()) lab.run();
    fc.assert(
      fc.property(fc.constantFrom(...LESSONS), fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 12 }), (lesson, instants) => {
        const lab = Lab.fromText(text(lesson));
        lookEverywhere(lab);
        for (const t of [...instants].sort((a, b) => a - b)) {
          lab.runUntil(t * MS);
          lookEverywhere(lab);
        }
        lab.run();
        lookEverywhere(lab);
        expect(lab.digest()).toBe(plain.get(lesson)!.digest());
      }),
      { numRuns: 12, seed: 6 },
    );
  });

  it('stepping event by event and looking between events (inside one instant too) gives the same trace', () => {
    const plain = Lab.fromText(text('lessons/nat-basic'));
    plain.run();
    const lab = Lab.fromText(text('lessons/nat-basic'));
    let n = 0;
    while (lab.nextEventTime() !== undefined && lab.nextEventTime()! <= lab.duration) {
      lab.step();
      // Every 3rd event, so the look also falls between same-time events.
      if (++n % 3 === 0) lookEverywhere(lab);
    }
    expect(n).toBeGreaterThan(300);
    expect(lab.traceJsonl()).toBe(plain.traceJsonl());
  });
});

describe('Lab.queries.run: the real command output, refused when it could change anything', () => {
  it('prints what the same line typed at the same instant prints', () => {
    const lab = Lab.fromText(text('lessons/nat-basic'));
    for (const t of [0, 1050, 1500, 3000]) {
      lab.runUntil(t * MS);
      for (const host of ['director', 'rs1', 'client']) {
        for (const line of LINES) {
          const looked = lab.queries.run(host, line);
          let typed: CommandResult | undefined;
          lab.runCommand(host, line, (r) => (typed = r));
          expect(typed, `${host}: ${line}`).toBeDefined();
          expect(looked, `${host}: ${line} at ${t} ms`).toEqual(typed);
        }
      }
    }
    // The connection table at 1.5 s is not empty: the comparison covered real content.
    lab.runUntil(1500 * MS);
    expect(lab.queries.run('director', 'ipvsadm -L -n -c').output).toMatch(/TCP .* 10\.0\.0\.100:80 +192\.168\.1\.[23]:8080/);
  });

  it('adds no trace event, unlike a typed command', () => {
    const lab = Lab.fromText(text('lessons/dr-basic'));
    lab.runUntil(1500 * MS);
    const before = lab.events.length;
    expect(lab.queries.run('director', 'ipvsadm -L -n').output).toContain('192.168.1.110:80');
    expect(lab.events.length).toBe(before);
    lab.runCommand('director', 'ipvsadm -L -n');
    expect(lab.events.length).toBe(before + 1);
  });

  it('refuses changes, writes, redirections and tools that wait on the network, and changes nothing', () => {
    const lab = Lab.fromText(text('lessons/nat-basic'));
    lab.runUntil(1500 * MS);
    const neigh = lab.queries.neighbours('director');
    const conns = lab.queries.run('director', 'ipvsadm -L -n --stats').output;
    const events = lab.events.length;
    const refused = [
      'ip neigh flush all',
      'ip neigh del 10.0.0.2 dev eth0',
      'ip link s eth0 down', // `s` is `set` for ip link
      'ip link set eth0 down',
      'ip route add 1.2.3.0/24 dev eth0',
      'ip addr flush dev eth0',
      'ip rule add fwmark 1 table 100',
      'sysctl -w net.ipv4.ip_forward=0',
      'sysctl net.ipv4.ip_forward=0', // procps writes any argument with '='
      'sysctl -p',
      'ipvsadm -Z',
      'ipvsadm -L -Z',
      'ipvsadm -C',
      'ipvsadm -e -t 10.0.0.100:80 -r 192.168.1.2:8080 -m -w 0',
      'ipvsadm',
      'iptables -L -Z',
      'iptables -F',
      'arp -d 10.0.0.2',
      'arp -s 10.0.0.9 02:00:00:00:00:09',
      'ifconfig eth0 down',
      'echo 0 > /proc/sys/net/ipv4/ip_forward',
      'ip neigh show > /proc/sys/net/ipv4/ip_forward',
      'ping -c 1 10.0.0.2',
      'arping -c 1 10.0.0.2',
      'modprobe ipip',
      'systemctl stop keepalived',
      'ip neigh show; ip neigh flush all',
      '',
    ];
    for (const line of refused) {
      expect(whyNotReadOnly(line), line).toBeDefined();
      expect(() => lab.queries.run('director', line), line).toThrow(QueryRefused);
    }
    expect(lab.events.length).toBe(events);
    expect(lab.queries.neighbours('director')).toEqual(neigh);
    expect(lab.queries.run('director', 'ipvsadm -L -n --stats').output).toBe(conns);
    expect(lab.queries.sysctls('director').find((s) => s.key === 'net.ipv4.ip_forward')?.value).toBe(1);
    for (const line of LINES) expect(whyNotReadOnly(line), line).toBeUndefined();
  });

  it('answers an unknown host as runCommand does', () => {
    const lab = Lab.fromText(text('lessons/dr-basic'));
    let typed: CommandResult | undefined;
    lab.runCommand('nobody', 'ip neigh show', (r) => (typed = r));
    expect(lab.queries.run('nobody', 'ip neigh show')).toEqual(typed);
    expect(lab.queries.neighbours('nobody')).toEqual([]);
  });
});

describe('Lab.queries structured views', () => {
  it('neighbour entries are ip neigh show nud all, as objects', () => {
    const lab = Lab.fromText(text('lessons/arp-problem'));
    for (const t of [500, 1000, 1200, 2000, 3000]) {
      lab.runUntil(t * MS);
      for (const host of lab.hostNames()) {
        const lines = lab.queries.neighbours(host).map((n) => `${n.address} dev ${n.device}${n.lladdr ? ` lladdr ${n.lladdr}` : ''} ${n.state}`);
        expect(lines.join('\n') + (lines.length ? '\n' : ''), `${host} at ${t} ms`).toBe(lab.queries.run(host, 'ip neigh show nud all').output);
      }
    }
    // The ARP problem: the router learned the VIP somewhere, with a NUD state.
    const router = lab.queries.neighbours('router');
    expect(router.some((n) => n.state === 'REACHABLE' || n.state === 'STALE')).toBe(true);
  });

  it('interfaces carry their addresses; sysctls are the lesson ones with their values', () => {
    const lab = Lab.fromText(text('lessons/nat-basic'));
    const ifs = lab.queries.interfaces('director');
    expect(ifs.map((i) => i.name)).toEqual(['lo', 'eth0', 'eth1']);
    const eth0 = ifs.find((i) => i.name === 'eth0')!;
    expect(eth0.mac).toBe('02:00:00:00:00:01');
    expect(eth0.addresses.map((a) => `${a.cidr} ${a.label}`)).toEqual(['10.0.0.1/24 eth0', '10.0.0.100/24 eth0:100']);
    const sys = lab.queries.sysctls('director');
    expect(sys.find((s) => s.key === 'net.ipv4.ip_forward')?.value).toBe(1);
    expect(sys.find((s) => s.key === 'net.ipv4.conf.eth0.arp_ignore')?.value).toBe(0);
    expect(sys.some((s) => s.key.startsWith('net.ipv4.vs.'))).toBe(true);
    expect(sys.every((s) => !s.key.includes('neigh.'))).toBe(true);
    // And the values are the ones sysctl prints.
    for (const s of sys) expect(lab.queries.run('director', `sysctl ${s.key}`).output).toBe(`${s.key} = ${s.value}\n`);
  });

  it('lists the programs a console can complete', () => {
    const lab = Lab.fromText(text('lessons/dr-basic'));
    expect(lab.programs()).toEqual(expect.arrayContaining(['ip', 'ipvsadm', 'sysctl', 'arp', 'ping', 'iptables']));
  });
});
