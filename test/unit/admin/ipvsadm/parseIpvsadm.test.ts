import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../../src/admin/AdminCommand.ts';
import { parseIpvsadm, type IpvsadmLine } from '../../../../src/admin/ipvsadm/parseIpvsadm.ts';
import { applyIpvsadm } from '../../../../src/admin/ipvsadm/applyIpvsadm.ts';
import { inetAton, stringToNumber, isIpv6Literal } from '../../../../src/admin/ipvsadm/cParse.ts';
import { ip, makeControl } from '../../ipvs/controlFakes.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const ARGV0 = '/usr/sbin/ipvsadm';

interface Recorded {
  args: string[];
  exit: number;
  output: string;
}

/** What ipvsadm prints and exits with for a line it refuses before the kernel (or undefined if it accepts it). */
function outcome(args: string[]): { exit: number; output: string } | undefined {
  try {
    const o = parseIpvsadm(ARGV0, args);
    if (o.kind === 'popt-error') return { exit: 255, output: o.text };
    return undefined;
  } catch (e) {
    if (e instanceof CommandError) return { exit: e.exit, output: e.text };
    throw e;
  }
}

function line(args: string): IpvsadmLine {
  const o = parseIpvsadm('ipvsadm', args.split(' '));
  if (o.kind !== 'line') throw new Error(o.text);
  return o.line;
}

describe('ipvsadm parser: refusals recorded from the real ipvsadm 1.31', () => {
  const fixture = JSON.parse(readFileSync(FIXTURES + 'parseErrors.json', 'utf8')) as { cases: Recorded[] };
  it('has a recording to compare with', () => {
    expect(fixture.cases.length).toBeGreaterThan(200);
  });
  for (const c of fixture.cases) {
    it(`${JSON.stringify(c.args)} -> exit ${c.exit}`, () => {
      expect(outcome(c.args)).toEqual({ exit: c.exit, output: c.output });
    });
  }
});

describe('ipvsadm parser: what accepted lines mean', () => {
  it('-A defaults to wlc, not persistent, /32 mask', () => {
    const l = line('-A -t 10.0.0.1:80');
    expect(l.cmd).toBe('add-service');
    expect(l.service).toMatchObject({ protocol: 'tcp', address: ip('10.0.0.1'), port: 80, scheduler: 'wlc', flags: 0, netmask: 0xffffffff });
  });

  it('-p without a value is 360 s, and takes the next word only when it is not an option', () => {
    expect(line('-A -t 10.0.0.1:80 -p').service.timeout).toBe(360);
    expect(line('-A -t 10.0.0.1:80 -p -s rr').service).toMatchObject({ timeout: 360, scheduler: 'rr', flags: 1 });
    expect(line('-A -t 10.0.0.1:80 -p 20').service.timeout).toBe(20);
    expect(line('-A -t 10.0.0.1:80 --persistent=30').service.timeout).toBe(30);
    expect(line('-A -t10.0.0.1:80 -p40').service.timeout).toBe(40);
  });

  it('-a defaults to weight 1 and direct routing; DR and TUN servers take the service port', () => {
    expect(line('-a -t 10.0.0.1:80 -r 10.2.1.2:8080').dest).toMatchObject({ fwd: 'route', weight: 1, port: 80 });
    expect(line('-a -t 10.0.0.1:80 -r 10.2.1.2:8080 -i').dest).toMatchObject({ fwd: 'tunnel', port: 80 });
    expect(line('-a -t 10.0.0.1:80 -r 10.2.1.2:8080 -m').dest).toMatchObject({ fwd: 'masq', port: 8080 });
    expect(line('-a -t 10.0.0.1:80 -r 10.2.1.2 -m').dest.port).toBe(80);
    // fwmark services keep the typed port; a real server without one gets the service's (0).
    expect(line('-a -f 7 -r 10.2.1.2:8080').dest.port).toBe(8080);
    expect(line('-a -f 7 -r 10.2.1.2').dest.port).toBe(0);
    // The port a real server without one gets is the service port parsed so far.
    expect(line('-a -r 10.2.1.2 -m -t 10.0.0.1:80').dest.port).toBe(0);
  });

  it('names ports from /etc/services by the protocol of the service', () => {
    expect(line('-A -t 10.0.0.1:http').service.port).toBe(80);
    expect(line('-A -t 10.0.0.1:www').service.port).toBe(80);
    expect(line('-A -u 10.0.0.1:domain').service.port).toBe(53);
    expect(line('-a -f 1 -r 10.2.1.2:https -m').dest.port).toBe(443);
    expect(outcome(['-A', '-u', '10.0.0.1:ssh'])).toEqual({ exit: 2, output: 'illegal virtual server address[:port] specified\n' });
  });

  it('reads addresses and masks with inet_aton', () => {
    expect(line('-A -t 10.1:80').service.address).toBe(ip('10.0.0.1'));
    expect(line('-A -t 0x0a.0.0.1:80').service.address).toBe(ip('10.0.0.1'));
    expect(line('-A -t 012.0.0.1:80').service.address).toBe(ip('10.0.0.1'));
    expect(line('-A -t 10.0.0.1:80 -M 24').service.netmask).toBe(24);
    expect(line('-A -t localhost:80').service.address).toBe(ip('127.0.0.1'));
    expect(inetAton('1.2.3')).toBe(ip('1.2.0.3'));
    expect(inetAton('1.16777215')).toBe(ip('1.255.255.255'));
    expect(inetAton('1.16777216')).toBeUndefined();
    expect(inetAton('08.1.1.1')).toBeUndefined();
    expect(inetAton('1.2.3.4 trailing')).toBe(ip('1.2.3.4'));
  });

  it('reads numbers with strtol over the whole word', () => {
    expect(stringToNumber('+5', 0, 10)).toBe(5);
    expect(stringToNumber(' 5', 0, 10)).toBe(5);
    expect(stringToNumber('5 ', 0, 10)).toBeUndefined();
    expect(stringToNumber('', 0, 10)).toBeUndefined();
    expect(stringToNumber('99999999999999999999', 0, 10)).toBeUndefined();
    expect(line('-a -t 10.0.0.1:80 -r 10.2.1.2 -w 2147483647').dest.weight).toBe(2147483647);
  });

  it('recognises IPv6 literals the way inet_pton does', () => {
    for (const ok of ['::1', '2001:db8::1', '::', 'fe80::1:2:3:4', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8']) expect(isIpv6Literal(ok)).toBe(true);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', '10.0.0.1', 'fe80::1:1.2.3', '']) expect(isIpv6Literal(bad)).toBe(false);
  });

  it('checks -b words after all options, against the final scheduler', () => {
    expect(line('-A -t 10.0.0.1:80 -b sh-port -s sh').service.flags).toBe(0x10);
    expect(line('-A -t 10.0.0.1:80 -s mh -b mh-fallback,,mh-port').service.flags).toBe(0x18);
    expect(line('-E -t 10.0.0.1:80 -s rr -b flag-3').service.flags).toBe(0x20);
  });

  it('accepts only multicast sync groups (ff00::/8 for IPv6)', () => {
    expect(outcome(['--start-daemon', 'master', '--mcast-group', 'ff02::1'])).toBeUndefined();
    expect(outcome(['--start-daemon', 'master', '--mcast-group', 'ff::1'])).toEqual({ exit: 2, output: "invalid IPv6 mcast-group `ff::1'\n" });
    expect(outcome(['--start-daemon', 'master', '--mcast-group', '239.1.1.1'])).toBeUndefined();
    expect(outcome(['--start-daemon', 'master', '--mcast-group', '10.1.1.1'])).toEqual({ exit: 2, output: "invalid IPv4 mcast-group `10.1.1.1'\n" });
  });

  it('truncates names to 15 characters as strncpy into a 16-byte field does', () => {
    expect(line('-A -t 10.0.0.1:80 -s averyveryverylongschedulername').service.scheduler).toBe('averyveryverylo');
  });

  it('-h prints the usage text of ipvsadm 1.31 with the program name as typed', () => {
    const { control } = makeControl();
    const o = parseIpvsadm(ARGV0, ['-h']);
    if (o.kind !== 'line') throw new Error(o.text);
    expect(applyIpvsadm(control, o.line)).toEqual({ exit: 0, output: readFileSync(FIXTURES + 'help.txt', 'utf8') });
    const v = parseIpvsadm(ARGV0, ['--version']);
    if (v.kind !== 'line') throw new Error(v.text);
    expect(applyIpvsadm(control, v.line)).toEqual({ exit: 0, output: 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n' });
  });
});
