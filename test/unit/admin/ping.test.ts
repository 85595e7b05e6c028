import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/index.ts';
import { lines, TestWorld, twoHosts } from './helpers.ts';

/** Round-trip times in µs measured on the trace: request k is sent at start + (k-1) s, its reply is an rx at a. */
function measuredRtts(w: TestWorld, start: number): number[] {
  return w
    .events('rx')
    .filter((e) => e.host === 'a' && e.pkt.icmp?.type === 0)
    .map((e) => Math.floor((e.t - start - (e.pkt.icmp!.seq! - 1) * SECOND) / 1000));
}

describe('ping', () => {
  it('prints iputils replies and statistics with simulated round-trip times', () => {
    const { w, a } = twoHosts();
    const { result, at, started } = w.runTimed(a, 'ping -c 3 192.168.1.2');
    // Each way crosses two 10 µs cables; the first echo also waits for ARP (one more round trip).
    expect(measuredRtts(w, started)).toEqual([86, 43, 43]);
    expect(result).toEqual({
      exit: 0,
      output: lines(
        'PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.',
        '64 bytes from 192.168.1.2: icmp_seq=1 ttl=64 time=0.086 ms',
        '64 bytes from 192.168.1.2: icmp_seq=2 ttl=64 time=0.043 ms',
        '64 bytes from 192.168.1.2: icmp_seq=3 ttl=64 time=0.043 ms',
        '',
        '--- 192.168.1.2 ping statistics ---',
        '3 packets transmitted, 3 received, 0% packet loss, time 2000ms',
        // iputils' integer arithmetic in µs: avg = 172/3 = 57, mdev = isqrt(11094/3 - 57²) = isqrt(449) = 21.
        'rtt min/avg/max/mdev = 0.043/0.057/0.086/0.021 ms',
      ),
    });
    // One request per second (the first left after ARP); ping ends as soon as the last reply is in.
    const requests = w.events('tx').filter((e) => e.host === 'a' && e.pkt.icmp?.type === 8);
    const arpReply = w.events('rx').find((e) => e.host === 'a' && e.pkt.arp?.op === 'reply')!;
    expect(requests.map((e) => e.t - started)).toEqual([arpReply.t - started, SECOND, 2 * SECOND]);
    const lastReply = w.events('rx').filter((e) => e.host === 'a' && e.pkt.icmp?.type === 0).at(-1)!;
    expect(at).toBe(lastReply.t);
    // The command event is traced when ping finishes, with everything it printed.
    const cmd = w.events('command').at(-1)!;
    expect([cmd.t, cmd.run, cmd.exit, cmd.output]).toEqual([at, 'ping -c 3 192.168.1.2', 0, result.output]);
  });

  it('reports ARP failure as Destination Host Unreachable from itself, after 3 s', () => {
    const { w, a } = twoHosts();
    const { result, at, started } = w.runTimed(a, 'ping -c 1 192.168.1.77');
    expect(result).toEqual({
      exit: 1,
      output: lines(
        'PING 192.168.1.77 (192.168.1.77) 56(84) bytes of data.',
        'From 192.168.1.1 icmp_seq=1 Destination Host Unreachable',
        '',
        '--- 192.168.1.77 ping statistics ---',
        '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms',
        '',
      ),
    });
    expect(at - started).toBe(3 * SECOND);
  });

  it('two outstanding requests that fail together show pipe 2', () => {
    const { w, a } = twoHosts();
    const { result } = w.runTimed(a, 'ping -c 2 192.168.1.77');
    expect(result.output).toBe(
      lines(
        'PING 192.168.1.77 (192.168.1.77) 56(84) bytes of data.',
        'From 192.168.1.1 icmp_seq=1 Destination Host Unreachable',
        'From 192.168.1.1 icmp_seq=2 Destination Host Unreachable',
        '',
        '--- 192.168.1.77 ping statistics ---',
        '2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms',
        'pipe 2',
      ),
    );
  });

  it('with no answer at all it lingers 10 s after the last request, or -W seconds', () => {
    const { w, a, b } = twoHosts();
    w.out(b, 'sysctl -w net.ipv4.icmp_echo_ignore_all=1');
    const first = w.runTimed(a, 'ping -c 2 192.168.1.2');
    expect(first.at - first.started).toBe(11 * SECOND);
    expect(first.result).toEqual({
      exit: 1,
      output: lines('PING 192.168.1.2 (192.168.1.2) 56(84) bytes of data.', '', '--- 192.168.1.2 ping statistics ---', '2 packets transmitted, 0 received, 100% packet loss, time 1000ms', ''),
    });
    const second = w.runTimed(a, 'ping -c 2 -W 2 192.168.1.2');
    expect(second.at - second.started).toBe(3 * SECOND);
  });

  it('-w is a deadline; replies after it are not counted', () => {
    const { w, a } = twoHosts();
    const { result, at, started } = w.runTimed(a, 'ping -w 3 -i 0.5 192.168.1.2');
    expect(at - started).toBe(3 * SECOND);
    expect(result.exit).toBe(0);
    expect(result.output).toContain('6 packets transmitted, 6 received, 0% packet loss, time 2500ms\n');
  });

  it('-I names the source address or device, -s the payload size', () => {
    const { w, a } = twoHosts();
    const r1 = w.runTimed(a, 'ping -c 1 -I eth0 192.168.1.2').result;
    expect(r1.output).toMatch(/^PING 192\.168\.1\.2 \(192\.168\.1\.2\) from 192\.168\.1\.1 eth0: 56\(84\) bytes of data\.\n/);
    const r2 = w.runTimed(a, 'ping -c 1 -I 192.168.1.1 -s 100 192.168.1.2').result;
    expect(r2.output).toMatch(/^PING 192\.168\.1\.2 \(192\.168\.1\.2\) from 192\.168\.1\.1 : 100\(128\) bytes of data\.\n108 bytes from 192\.168\.1\.2: icmp_seq=1 ttl=64 time=/);
    expect(w.runTimed(a, 'ping -c 1 -I 10.0.0.1 192.168.1.2').result).toEqual({ exit: 2, output: 'ping: bind: Cannot assign requested address\n' });
    expect(w.runTimed(a, 'ping -c 1 -I eth9 192.168.1.2').result).toEqual({ exit: 2, output: 'ping: SO_BINDTODEVICE eth9: No such device\n' });
  });

  it('answers at once with exit 2 when there is no route', () => {
    const { w, a } = twoHosts();
    let r: { exit: number; output: string } | undefined;
    w.shell.run(a, 'ping -c 1 10.9.9.9', (x) => (r = x));
    expect(r).toEqual({ exit: 2, output: 'ping: connect: Network is unreachable\n' });
  });

  it('pings its own addresses through loopback', () => {
    const { w, a } = twoHosts();
    expect(w.runTimed(a, 'ping -c 1 192.168.1.1').result.output).toContain('1 packets transmitted, 1 received, 0% packet loss');
    expect(w.runTimed(a, 'ping -c 1 127.0.0.1').result.output).toContain('64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.000 ms');
  });

  it('checks its syntax like iputils, and needs -c or -w in the lab', () => {
    const w = new TestWorld();
    expect(w.shell.check('ping -c 1 192.168.0.1')).toBeUndefined();
    expect(w.shell.check('ping -c1 -W1 192.168.0.1')).toBeUndefined();
    expect(w.shell.check('ping 192.168.0.1')).toBe('ping: lvs-lab needs -c COUNT or -w DEADLINE (without them ping runs until it is interrupted)\n');
    expect(w.shell.check('ping -c 1 www.example.com')).toBe('ping: www.example.com: Name or service not known\n');
    expect(w.shell.check('ping -c x 192.168.0.1')).toBe("ping: invalid argument: 'x'\n");
    expect(w.shell.check('ping -c 1')).toBe('ping: usage error: Destination address required\n');
    expect(w.shell.check('ping -c 1 -s 70000 192.168.0.1')).toBe('ping: packet size 70000 is too large. Maximum is 65507\n');
    expect(w.shell.check('ping -c 1 -f 192.168.0.1')).toBe('ping: option "-f" is not modelled by lvs-lab\n');
  });
});

describe('arping', () => {
  it('prints the iputils layout; after the first reply it asks by unicast', () => {
    const { w, a } = twoHosts();
    const { result, at, started } = w.runTimed(a, 'arping -c 3 -I eth0 192.168.1.2');
    const requests = w.events('tx').filter((e) => e.host === 'a' && e.pkt.arp?.op === 'request');
    const replies = w.events('rx').filter((e) => e.host === 'a' && e.pkt.arp?.op === 'reply');
    expect(requests.map((e) => e.pkt.eth!.dst)).toEqual(['ff:ff:ff:ff:ff:ff', '02:00:00:00:00:02', '02:00:00:00:00:02']);
    // iputils prints the measured time plus 0.5 ms (its rounding arithmetic).
    const shown = replies.map((r, i) => {
      const us = Math.floor((r.t - requests[i].t + 500) / 1000) + 500;
      return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}ms`;
    });
    expect(result).toEqual({
      exit: 0,
      output: lines(
        'ARPING 192.168.1.2 from 192.168.1.1 eth0',
        ...shown.map((t) => `Unicast reply from 192.168.1.2 [02:00:00:00:00:02]  ${t}`),
        'Sent 3 probes (1 broadcast(s))',
        'Received 3 response(s)',
      ),
    });
    expect(shown[0]).toBe('0.543ms');
    expect(at - started).toBe(3 * SECOND);
  });

  it('with no answer it exits 1 after count intervals', () => {
    const { w, a } = twoHosts();
    const { result, at, started } = w.runTimed(a, 'arping -c 2 192.168.1.77');
    expect(result).toEqual({ exit: 1, output: lines('ARPING 192.168.1.77 from 192.168.1.1 eth0', 'Sent 2 probes (2 broadcast(s))', 'Received 0 response(s)') });
    expect(at - started).toBe(2 * SECOND);
  });

  it('-w with -c ends when count replies came; -f at the first', () => {
    const { w, a } = twoHosts();
    const r1 = w.runTimed(a, 'arping -w 10 -c 2 192.168.1.2');
    expect(r1.result.exit).toBe(0);
    expect(r1.at - r1.started).toBeLessThan(1.01 * SECOND);
    expect(r1.at - r1.started).toBeGreaterThan(SECOND);
    const r2 = w.runTimed(a, 'arping -f -c 5 192.168.1.2');
    expect(r2.result.output).toContain('Sent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n');
    expect(r2.at - r2.started).toBeLessThan(SECOND / 1000);
  });

  it('-U announces an address: neighbours that know it take the new MAC', () => {
    const { w, a, b } = twoHosts();
    w.ok(b, 'ip neigh replace 192.168.1.110 lladdr 02:00:00:00:00:99 dev eth0 nud stale');
    w.ok(a, 'ip addr add 192.168.1.110/24 dev eth0 label eth0:0');
    const { result, at, started } = w.runTimed(a, 'arping -c 1 -U -I eth0 192.168.1.110');
    expect(result).toEqual({ exit: 0, output: lines('ARPING 192.168.1.110 from 192.168.1.110 eth0', 'Sent 1 probes (1 broadcast(s))', 'Received 0 response(s)') });
    expect(at).toBe(started);
    expect(w.out(b, 'ip neigh show 192.168.1.110')).toBe(lines('192.168.1.110 dev eth0 lladdr 02:00:00:00:00:01 STALE'));
  });

  it('reports device and syntax errors', () => {
    const { w, a } = twoHosts();
    expect(w.runTimed(a, 'arping -c 1 -I eth9 192.168.1.2').result).toEqual({ exit: 2, output: 'arping: Device eth9 not available.\n' });
    expect(w.runTimed(a, 'arping -c 1 -I lo 192.168.1.2').result).toEqual({ exit: 2, output: 'Interface "lo" is not ARPable\n' });
    expect(w.runTimed(a, 'arping -c 1 -s 10.0.0.1 192.168.1.2').result).toEqual({ exit: 2, output: 'arping: bind: Cannot assign requested address\n' });
    expect(w.shell.check('arping 192.168.1.2')).toBe('arping: lvs-lab needs -c COUNT or -w DEADLINE (without them arping runs until it is interrupted)\n');
    expect(w.shell.check('arping -c 1 -D 192.168.1.2')).toBe('arping: duplicate address detection (-D) is not modelled by lvs-lab\n');
    expect(w.shell.check('arping -c 1 foo')).toBe('arping: foo: Name or service not known\n');
    expect(a.arpTaps).toEqual([]);
  });
});
