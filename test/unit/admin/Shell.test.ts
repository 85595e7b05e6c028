import { describe, expect, it } from 'vitest';
import { splitShellWords, Shell, commandTable, DEFAULT_COMMANDS, defineCommand, sync } from '../../../src/admin/index.ts';
import { TestWorld } from './helpers.ts';

describe('splitShellWords', () => {
  it('splits on blanks and honours quotes and backslashes like sh', () => {
    expect(splitShellWords(`  echo  "a b"  'c "d"' e\\ f "x\\"y" `).words).toEqual(['echo', 'a b', 'c "d"', 'e f', 'x"y']);
  });

  it('treats # at the start of a word as a comment, not inside one', () => {
    expect(splitShellWords('ip rule # check the rules').words).toEqual(['ip', 'rule']);
    expect(splitShellWords('echo a#b').words).toEqual(['echo', 'a#b']);
    expect(splitShellWords('#!/bin/sh # a whole script on one line: echo 1 > /proc/sys/x').words).toEqual([]);
    expect(splitShellWords("echo '#'").words).toEqual(['echo', '#']);
  });

  it('takes > and >> with or without a blank, and 1> as stdout', () => {
    expect(splitShellWords('echo "1" >/proc/sys/net/ipv4/ip_forward')).toEqual({ words: ['echo', '1'], redirect: { path: '/proc/sys/net/ipv4/ip_forward', append: false } });
    expect(splitShellWords("echo '1' > /proc/sys/x")).toEqual({ words: ['echo', '1'], redirect: { path: '/proc/sys/x', append: false } });
    expect(splitShellWords('echo 0 >> /proc/sys/x')).toEqual({ words: ['echo', '0'], redirect: { path: '/proc/sys/x', append: true } });
    // bash reads `1>` as the descriptor, so nothing is echoed but a newline.
    expect(splitShellWords('echo 1>/proc/sys/x')).toEqual({ words: ['echo'], redirect: { path: '/proc/sys/x', append: false } });
  });

  it.each([
    ['ip a | grep eth0', '"|" pipe'],
    ['ip a && ip r', '"&&" list'],
    ['ip a || true', '"||" list'],
    ['ip a; ip r', '";" list'],
    ['ping -c 1 x &', '"&" background job'],
    ['echo $(cat /proc/sys/net/ipv4/ip_forward)', '"$(...)" command substitution'],
    ['echo `date`', 'backquotes'],
    ['echo $HOME', '"$" expansion'],
    ['echo "$HOME"', '"$" expansion'],
    ['cat /proc/sys/net/ipv4/conf/*/rp_filter', 'globbing with "*"'],
    ['cat < /proc/sys/x', '"<" input redirection'],
    ['ip a 2>/dev/null', 'redirection of descriptor 2'],
    ['FOO=1 ip a', 'variable assignment'],
    ['echo 1 > /proc/sys/a > /proc/sys/b', 'more than one redirection'],
  ])('refuses %s', (line, what) => {
    expect(() => splitShellWords(line)).toThrow(what);
    expect(() => splitShellWords(line)).toThrow('shell syntax is not modelled');
  });

  it('reports unterminated quotes and a missing redirection target', () => {
    expect(() => splitShellWords("echo 'abc")).toThrow("unexpected EOF while looking for matching `''");
    expect(() => splitShellWords('echo "abc')).toThrow('unexpected EOF');
    expect(() => splitShellWords('echo 1 >')).toThrow("syntax error near unexpected token `newline'");
  });
});

describe('Shell', () => {
  it('succeeds silently on empty and comment-only lines, without a trace event', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, '')).toEqual({ exit: 0, output: '' });
    expect(w.sh(h, '   # just a comment')).toEqual({ exit: 0, output: '' });
    expect(w.events('command')).toEqual([]);
    expect(w.shell.check('# nothing')).toBeUndefined();
  });

  it('names an unknown program and lists the supported ones (exit 127)', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    const r = w.sh(h, 'tcpdump -n -i eth0');
    expect(r.exit).toBe(127);
    expect(r.output).toBe(
      'tcpdump: command not modelled by lvs-lab (supported: ip, ifconfig, route, arp, sysctl, echo, cat, modprobe, rmmod, ping, arping, iptables)\n',
    );
    expect(w.shell.check('service httpd start')).toMatch(/^service: command not modelled by lvs-lab \(supported: ip, /);
  });

  it('strips a leading path from the program name', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, '/sbin/sysctl net.ipv4.ip_forward')).toEqual({ exit: 0, output: 'net.ipv4.ip_forward = 0\n' });
    expect(w.sh(h, '/usr/local/sbin/nosuch')).toMatchObject({ exit: 127 });
  });

  it('shell syntax errors exit 2 with the message', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    const r = w.sh(h, 'ip addr | grep inet');
    expect(r.exit).toBe(2);
    expect(r.output).toContain('shell syntax is not modelled: "|" pipe');
    expect(w.shell.check('ip addr | grep inet')).toContain('"|" pipe');
  });

  it('traces a command event with what was typed, the exit status and the output', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    w.sh(h, 'sysctl   net.ipv4.ip_forward');
    w.sh(h, 'nosuch');
    const ev = w.events('command');
    expect(ev.map((e) => [e.host, e.run, e.exit, e.output])).toEqual([
      ['h1', 'sysctl   net.ipv4.ip_forward', 0, 'net.ipv4.ip_forward = 0\n'],
      ['h1', 'nosuch', 127, expect.stringContaining('nosuch: command not modelled')],
    ]);
  });

  it('redirects output into /proc/sys only, opening the file before the command runs', () => {
    const w = new TestWorld();
    const h = w.host('h1');
    expect(w.sh(h, 'echo 1 > /etc/sysctl.conf')).toEqual({
      exit: 1,
      output: 'lvs-lab: /etc/sysctl.conf: not modelled (only the files under /proc/sys/ exist in the lab)\n',
    });
    expect(w.shell.check('echo 1 > /etc/sysctl.conf')).toContain('not modelled');
    expect(w.shell.check('echo 1 > /proc/sys/net/ipv4/ip_forward')).toBeUndefined();
    expect(w.sh(h, 'echo 1 > /proc/sys/net/ipv4/conf/eth9/rp_filter')).toEqual({
      exit: 1,
      output: 'bash: /proc/sys/net/ipv4/conf/eth9/rp_filter: No such file or directory\n',
    });
    expect(w.sh(h, 'echo 1 > /proc/sys/net/ipv4/conf')).toEqual({ exit: 1, output: 'bash: /proc/sys/net/ipv4/conf: Is a directory\n' });
    expect(w.sh(h, 'echo 5 > /proc/sys/net/ipv4/ip_forward')).toEqual({ exit: 1, output: 'bash: echo: write error: Invalid argument\n' });
    expect(h.sysctls.get('net.ipv4.ip_forward')).toBe(0);
    // Any program's output can be redirected: sysctl -n prints the value, which lands in another file.
    h.sysctls.set('net.ipv4.conf.all.arp_ignore', '1');
    w.ok(h, 'sysctl -n net.ipv4.conf.all.arp_ignore > /proc/sys/net/ipv4/conf/eth0/arp_ignore');
    expect(h.sysctls.get('net.ipv4.conf.eth0.arp_ignore')).toBe(1);
  });

  it('dispatches through the table it was given (ipvsadm is added the same way later)', () => {
    const fake = defineCommand('ipvsadm', (args) => sync(() => ({ exit: 0, output: `ipvsadm ${args.join(',')}\n` })));
    const shell = new Shell(commandTable(...DEFAULT_COMMANDS.values(), fake));
    const w = new TestWorld();
    const h = w.host('h1');
    let out = '';
    shell.run(h, '/sbin/ipvsadm -A -t 81.57.54.100:telnet -s rr', (r) => (out = r.output));
    expect(out).toBe('ipvsadm -A,-t,81.57.54.100:telnet,-s,rr\n');
    expect(shell.programs).toContain('ipvsadm');
  });
});
