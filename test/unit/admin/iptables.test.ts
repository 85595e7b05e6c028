import { describe, expect, it } from 'vitest';
import { iptablesCommand } from '../../../src/admin/iptables.ts';
import { splitShellWords } from '../../../src/admin/shellWords.ts';
import type { CommandResult } from '../../../src/admin/AdminCommand.ts';
import { ipLocalOut, type Host } from '../../../src/net/index.ts';
import { SECOND } from '../../../src/sim/index.ts';
import { Fmt, printNum } from '../../../src/admin/iptables/formatIptables.ts';
import { ip, World } from '../net/netfilter/world.ts';

/**
 * `iptables` as iptables-legacy 1.8.9 prints it: listings (-L, -L -n -v --line-numbers, -S), the rules of
 * seeds 000 and 004, and the error texts and exit statuses.
 */

function setup() {
  const w = new World();
  const h = w.host('h');
  w.attach(h, 'eth0', 'lan', '10.0.0.1/24');
  const peer = w.host('peer');
  w.attach(peer, 'eth0', 'lan', '10.0.0.2/24');
  return { w, h, peer };
}

function ipt(h: Host, line: string): CommandResult {
  let res: CommandResult | undefined;
  iptablesCommand.run(h, splitShellWords(line).words, (r) => (res = r));
  return res!;
}

/** Runs lines that must succeed silently. */
function ok(h: Host, ...lines: string[]): void {
  for (const l of lines) expect(ipt(h, l), l).toEqual({ exit: 0, output: '' });
}

const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";

describe('listings', () => {
  it('-L on a fresh host', () => {
    const { h } = setup();
    expect(ipt(h, '-L')).toEqual({
      exit: 0,
      output:
        'Chain INPUT (policy ACCEPT)\n' +
        'target     prot opt source               destination\n' +
        '\n' +
        'Chain FORWARD (policy ACCEPT)\n' +
        'target     prot opt source               destination\n' +
        '\n' +
        'Chain OUTPUT (policy ACCEPT)\n' +
        'target     prot opt source               destination\n',
    });
  });

  it('seed 004: mangle MARK, listed with -n -L and -S, deleted with the same rule', () => {
    const { h } = setup();
    ok(h, '-t mangle -A PREROUTING -d 192.168.10.100 -j MARK --set-mark 1');
    expect(ipt(h, '-t mangle -n -L PREROUTING').output).toBe(
      'Chain PREROUTING (policy ACCEPT)\n' +
        'target     prot opt source               destination\n' +
        'MARK       all  --  0.0.0.0/0            192.168.10.100       MARK set 0x1\n',
    );
    expect(ipt(h, '-t mangle -S PREROUTING').output).toBe('-P PREROUTING ACCEPT\n-A PREROUTING -d 192.168.10.100/32 -j MARK --set-xmark 0x1/0xffffffff\n');
    ok(h, '-t mangle -D PREROUTING -d 192.168.10.100 -j MARK --set-mark 1');
    expect(ipt(h, '-t mangle -D PREROUTING -d 192.168.10.100 -j MARK --set-mark 1')).toEqual({
      exit: 1,
      output: 'iptables: Bad rule (does a matching rule exist in that chain?).\n',
    });
  });

  it("seed 004's filter rules round-trip through -S and list without -n by name", () => {
    const { h } = setup();
    const rules = [
      '-A INPUT -i lo -j ACCEPT',
      '-A INPUT -p icmp -m icmp --icmp-type any -j ACCEPT',
      '-A INPUT -p esp -j ACCEPT',
      '-A INPUT -p ah -j ACCEPT',
      '-A INPUT -d 224.0.0.251/32 -p udp -m udp --dport 5353 -j ACCEPT',
      '-A INPUT -p tcp -m state --state NEW -m tcp --dport 80 -j ACCEPT',
      '-A INPUT -p udp -m udp --dport 631 -j ACCEPT',
      '-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT',
      '-A INPUT -j REJECT --reject-with icmp-host-prohibited',
    ];
    ok(h, ...rules);
    expect(ipt(h, '-S INPUT').output).toBe(['-P INPUT ACCEPT', ...rules].join('\n') + '\n');
    expect(ipt(h, '-L INPUT').output).toBe(
      'Chain INPUT (policy ACCEPT)\n' +
        'target     prot opt source               destination\n' +
        'ACCEPT     all  --  anywhere             anywhere\n' +
        'ACCEPT     icmp --  anywhere             anywhere             icmp any\n' +
        'ACCEPT     esp  --  anywhere             anywhere\n' +
        'ACCEPT     ah   --  anywhere             anywhere\n' +
        'ACCEPT     udp  --  anywhere             224.0.0.251          udp dpt:mdns\n' +
        'ACCEPT     tcp  --  anywhere             anywhere             state NEW tcp dpt:http\n' +
        'ACCEPT     udp  --  anywhere             anywhere             udp dpt:ipp\n' +
        'ACCEPT     all  --  anywhere             anywhere             state RELATED,ESTABLISHED\n' +
        'REJECT     all  --  anywhere             anywhere             reject-with icmp-host-prohibited\n',
    );
  });

  it('-L -n -v --line-numbers shows interfaces and counters; -Z zeroes them; -x gives exact numbers', () => {
    const { w, h, peer } = setup();
    ok(h, '-A INPUT -i eth0 -p icmp -j ACCEPT', '-A INPUT -s 10.0.0.0/8 ! -d 10.0.0.9 -j DROP');
    peer.sockets.openPing(1, { onEchoReply: () => {}, onError: () => {} });
    for (let i = 0; i < 3; i++) ipLocalOut(peer, { dst: ip('10.0.0.1'), protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 1, sequence: i, payload: { length: 56 } } });
    w.run(1 * SECOND);
    expect(ipt(h, '-L INPUT -n -v --line-numbers').output).toBe(
      'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n' +
        'num   pkts bytes target     prot opt in     out     source               destination\n' +
        '1        3   252 ACCEPT     icmp --  eth0   *       0.0.0.0/0            0.0.0.0/0\n' +
        '2        0     0 DROP       all  --  *      *       10.0.0.0/8          !10.0.0.9\n',
    );
    expect(ipt(h, '-nvxL INPUT 1').output).toBe('       3      252 ACCEPT     icmp --  eth0   *       0.0.0.0/0            0.0.0.0/0\n');
    expect(ipt(h, '-S INPUT -v').output).toBe('-P INPUT ACCEPT -c 0 0\n-A INPUT -i eth0 -p icmp -c 3 252 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 ! -d 10.0.0.9/32 -c 0 0 -j DROP\n');
    ok(h, '-Z INPUT');
    expect(ipt(h, '-S INPUT 1 -v').output).toBe('-A INPUT -i eth0 -p icmp -c 0 0 -j ACCEPT\n');
  });

  it('counters shorten to K, M, G without -x (xtables_print_num)', () => {
    const kmg = Fmt.kiloMegaGiga;
    expect(printNum(99_999, kmg)).toBe('99999 ');
    expect(printNum(150_000, kmg)).toBe(' 150K ');
    expect(printNum(9_999_499, kmg)).toBe('9999K ');
    expect(printNum(150_000_000, kmg)).toBe(' 150M ');
    expect(printNum(12_345_678_901, kmg)).toBe('  12G ');
    expect(printNum(150_000, 0)).toBe('  150000 ');
    expect(printNum(150_000, kmg | Fmt.noTable)).toBe('150K ');
  });

  it('a rule without -j only counts', () => {
    const { h } = setup();
    ok(h, '-A OUTPUT -p udp');
    expect(ipt(h, '-S OUTPUT').output).toBe('-P OUTPUT ACCEPT\n-A OUTPUT -p udp\n');
    expect(ipt(h, '-n -L OUTPUT').output.split('\n')[2]).toBe('           udp  --  0.0.0.0/0            0.0.0.0/0');
  });

  it('nat table: MASQUERADE, DNAT and REDIRECT as listed and saved', () => {
    const { h } = setup();
    ok(
      h,
      '-t nat -A POSTROUTING -o eth0 -j MASQUERADE',
      '-t nat -A PREROUTING -p tcp -d 1.2.3.4 --dport 80 -j DNAT --to-destination 10.0.0.2:8080',
      '-t nat -A PREROUTING -d 192.168.10.100 -j REDIRECT',
      '-t nat -A OUTPUT -p udp --dport 53 -j REDIRECT --to-ports 5353',
      '-t nat -A POSTROUTING -s 10.0.0.0/24 -j SNAT --to-source 192.0.2.1-192.0.2.4',
    );
    expect(ipt(h, '-t nat -S').output).toBe(
      [
        '-P PREROUTING ACCEPT',
        '-P INPUT ACCEPT',
        '-P OUTPUT ACCEPT',
        '-P POSTROUTING ACCEPT',
        '-A PREROUTING -d 1.2.3.4/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080',
        '-A PREROUTING -d 192.168.10.100/32 -j REDIRECT',
        '-A OUTPUT -p udp -m udp --dport 53 -j REDIRECT --to-ports 5353',
        '-A POSTROUTING -o eth0 -j MASQUERADE',
        '-A POSTROUTING -s 10.0.0.0/24 -j SNAT --to-source 192.0.2.1-192.0.2.4',
      ].join('\n') + '\n',
    );
    const list = ipt(h, '-t nat -n -L').output.split('\n');
    expect(list).toContain('DNAT       tcp  --  0.0.0.0/0            1.2.3.4              tcp dpt:80 to:10.0.0.2:8080');
    expect(list).toContain('REDIRECT   all  --  0.0.0.0/0            192.168.10.100');
    expect(list).toContain('REDIRECT   udp  --  0.0.0.0/0            0.0.0.0/0            udp dpt:53 redir ports 5353');
    expect(list).toContain('MASQUERADE  all  --  0.0.0.0/0            0.0.0.0/0');
    expect(list).toContain('SNAT       all  --  10.0.0.0/24          0.0.0.0/0            to:192.0.2.1-192.0.2.4');
  });

  it('user chains: references, jumps, LOG, mark and conntrack matches, comments', () => {
    const { h } = setup();
    ok(
      h,
      '-N web',
      '-A INPUT -p tcp ! --dport 1024:65535 -j web',
      '-A web -j LOG --log-prefix "web: " --log-level 6',
      '-A web -m mark ! --mark 0x10/0xf0 -m conntrack --ctstate NEW,ESTABLISHED -j RETURN',
      '-A web -m comment --comment "the end" -j DROP',
    );
    expect(ipt(h, '-S web').output).toBe(
      '-N web\n' +
        '-A web -j LOG --log-prefix "web: " --log-level 6\n' +
        '-A web -m mark ! --mark 0x10/0xf0 -m conntrack --ctstate NEW,ESTABLISHED -j RETURN\n' +
        '-A web -m comment --comment "the end" -j DROP\n',
    );
    expect(ipt(h, '-n -L').output.split('\n').slice(2, 3)).toEqual(['web        tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpts:!1024:65535']);
    expect(ipt(h, '-n -L web').output).toBe(
      'Chain web (1 references)\n' +
        'target     prot opt source               destination\n' +
        'LOG        all  --  0.0.0.0/0            0.0.0.0/0            LOG flags 0 level 6 prefix "web: "\n' +
        'RETURN     all  --  0.0.0.0/0            0.0.0.0/0            mark match ! 0x10/0xf0 ctstate NEW,ESTABLISHED\n' +
        'DROP       all  --  0.0.0.0/0            0.0.0.0/0            /* the end */\n',
    );
    expect(ipt(h, '-L web').output.split('\n')[2]).toBe('LOG        all  --  anywhere             anywhere             LOG level info prefix "web: "');
  });

  it('-v echoes the rule it adds, and reports flushed, zeroed and deleted chains', () => {
    const { h } = setup();
    expect(ipt(h, '-v -A FORWARD -i eth2 -o eth3 -s 10.0.0.1 -d 10.0.0.2 -j ACCEPT').output).toBe('ACCEPT  all opt -- in eth2 out eth3  10.0.0.1  -> 10.0.0.2\n');
    expect(ipt(h, '-v -F').output).toBe("Flushing chain `INPUT'\nFlushing chain `FORWARD'\nFlushing chain `OUTPUT'\n");
    expect(ipt(h, '-v -Z OUTPUT').output).toBe("Zeroing chain `OUTPUT'\n");
    ok(h, '-N foo');
    expect(ipt(h, '-v -X foo').output).toBe("Deleting chain `foo'\n");
  });

  it('-I N, -R N and -D N edit by position', () => {
    const { h } = setup();
    ok(h, '-A INPUT -s 10.0.0.1 -j ACCEPT', '-A INPUT -s 10.0.0.3 -j ACCEPT', '-I INPUT 2 -s 10.0.0.2 -j ACCEPT', '-I INPUT -s 10.0.0.0/24 -j DROP');
    ok(h, '-R INPUT 1 -s 10.0.0.0/16 -j DROP', '-D INPUT 4');
    expect(ipt(h, '-S INPUT').output).toBe('-P INPUT ACCEPT\n-A INPUT -s 10.0.0.0/16 -j DROP\n-A INPUT -s 10.0.0.1/32 -j ACCEPT\n-A INPUT -s 10.0.0.2/32 -j ACCEPT\n');
    expect(ipt(h, '-C INPUT -s 10.0.0.2 -j ACCEPT')).toEqual({ exit: 0, output: '' });
    expect(ipt(h, '-C INPUT -s 10.0.0.3 -j ACCEPT').exit).toBe(1);
    expect(ipt(h, '-D INPUT 9')).toEqual({ exit: 1, output: 'iptables: Index of deletion too big.\n' });
    expect(ipt(h, '-I INPUT 9 -j ACCEPT')).toEqual({ exit: 1, output: 'iptables: Index of insertion too big.\n' });
    ok(h, '-A INPUT -s 10.0.0.5,10.0.0.6 -j DROP');
    expect(ipt(h, '-S INPUT').output.split('\n').slice(-3, -1)).toEqual(['-A INPUT -s 10.0.0.5/32 -j DROP', '-A INPUT -s 10.0.0.6/32 -j DROP']);
  });
});

describe('the command acts on the host', () => {
  it('-P INPUT DROP stops pings; -P INPUT ACCEPT lets them through again', () => {
    const { w, h, peer } = setup();
    const replies: number[] = [];
    peer.sockets.openPing(3, { onEchoReply: (_f, m) => replies.push(m.sequence), onError: () => {} });
    const send = (seq: number) => ipLocalOut(peer, { dst: ip('10.0.0.1'), protocol: 1, l4: { proto: 'icmp', type: 8, code: 0, ident: 3, sequence: seq, payload: { length: 56 } } });
    ok(h, '-P INPUT DROP');
    send(1);
    w.run(1 * SECOND);
    ok(h, '-P INPUT ACCEPT');
    send(2);
    w.run(1 * SECOND);
    expect(replies).toEqual([2]);
    expect(ipt(h, '-L INPUT -v').output.split('\n')[0]).toBe('Chain INPUT (policy ACCEPT 1 packets, 84 bytes)');
  });
});

describe('errors', () => {
  const cases: Array<[string, number, string]> = [
    ['-A INPUT --foo', 2, 'iptables v1.8.9 (legacy): unknown option "--foo"\n' + TRY],
    ['-A INPUT --dport 80 -j ACCEPT', 2, 'iptables v1.8.9 (legacy): unknown option "--dport"\n' + TRY],
    ['-A INPUT x', 2, "Bad argument `x'\n" + TRY],
    ['-L nosuch', 1, 'iptables: No chain/target/match by that name.\n'],
    ['-A nosuch -j ACCEPT', 1, 'iptables: No chain/target/match by that name.\n'],
    ['-A INPUT -j nosuch', 2, "iptables v1.8.9 (legacy): Couldn't load target `nosuch':No such file or directory\n\n" + TRY],
    ['-A INPUT -m multiport --dports 80,443 -j ACCEPT', 2, "iptables v1.8.9 (legacy): match `multiport' is not supported by lvs-lab\n" + TRY],
    ['-A INPUT -m foo -j ACCEPT', 2, "iptables v1.8.9 (legacy): Couldn't load match `foo':No such file or directory\n" + TRY],
    ['-A INPUT -j CONNMARK --set-mark 1', 2, "iptables v1.8.9 (legacy): target `CONNMARK' is not supported by lvs-lab\n" + TRY],
    ['-A INPUT -p tcp --syn -j ACCEPT', 2, 'iptables v1.8.9 (legacy): option "--syn" of tcp is not supported by lvs-lab\n' + TRY],
    ['-A INPUT -j DNAT --to-destination 1.2.3.4', 1, "iptables: Invalid argument. Run `dmesg' for more information.\n"],
    ['-t nat -A POSTROUTING -j MASQUERADE --to-ports 1024', 2, 'iptables v1.8.9 (legacy): Need TCP, UDP, SCTP or DCCP with port specification\n' + TRY],
    [
      '-t nat -P POSTROUTING DROP',
      2,
      'iptables v1.8.9 (legacy):\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n\n' + TRY,
    ],
    ['-t raw -L', 3, "iptables v1.8.9 (legacy): can't initialize iptables table `raw': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.\n"],
    ['-p foo -A INPUT', 2, 'iptables v1.8.9 (legacy): unknown protocol "foo" specified\n' + TRY],
    ['-A INPUT -s 10.0.0.300 -j DROP', 2, "iptables v1.8.9 (legacy): host/network `10.0.0.300' not found\n" + TRY],
    ['-A INPUT ! ! -s 10.0.0.1', 2, 'iptables v1.8.9 (legacy): multiple consecutive ! not allowed\n' + TRY],
    ['-A INPUT -s 10.0.0.1 !', 2, 'iptables v1.8.9 (legacy): nothing appropriate following !\n' + TRY],
    ['-A INPUT ! -j ACCEPT', 2, 'iptables v1.8.9 (legacy): cannot have ! before -j\n' + TRY],
    ['-s 10.0.0.1', 2, 'iptables v1.8.9 (legacy): no command specified\n' + TRY],
    ['-A INPUT -D INPUT', 2, 'iptables v1.8.9 (legacy): Cannot use -D with -A\n' + TRY],
    ['-F INPUT -s 10.0.0.1', 2, "iptables v1.8.9 (legacy): Illegal option `-s' with this command\n" + TRY],
    ['-A INPUT -o eth0 -j DROP', 2, "iptables v1.8.9 (legacy): Can't use -o with INPUT\n" + TRY],
    ['-N ACCEPT', 2, 'iptables v1.8.9 (legacy): chain name may not clash with target name\n' + TRY],
    ['-A INPUT -j MARK', 2, 'iptables v1.8.9 (legacy): MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required\n' + TRY],
    ['-A INPUT -j REJECT --reject-with foo', 2, 'iptables v1.8.9 (legacy): unknown reject type "foo"\n' + TRY],
    ['-A INPUT -p tcp --dport 99999 -j DROP', 2, "iptables v1.8.9 (legacy): invalid port/service `99999' specified\n" + TRY],
    ['-A INPUT -m state --state BOGUS', 2, 'iptables v1.8.9 (legacy): Bad state "BOGUS"\n' + TRY],
    ['-A', 2, 'iptables v1.8.9 (legacy): option "-A" requires an argument\n' + TRY],
    ['-D INPUT x1', 2, "iptables v1.8.9 (legacy): Invalid rule number `x1'\n" + TRY],
    ['-I INPUT 0 -j ACCEPT', 2, "iptables v1.8.9 (legacy): Invalid rule number `0'\n" + TRY],
    ['-P INPUT', 2, 'iptables v1.8.9 (legacy): -P requires a chain and a policy\n' + TRY],
    ['-P INPUT REJECT', 1, 'iptables: Bad policy name.\n'],
    ['-X INPUT', 1, "iptables: Can't delete built-in chain.\n"],
  ];
  for (const [line, exit, output] of cases) {
    it(`iptables ${line}`, () => {
      const { h } = setup();
      expect(ipt(h, line)).toEqual({ exit, output });
    });
  }

  it('check() finds syntax errors without a host and leaves table state questions to run()', () => {
    const words = (l: string) => splitShellWords(l).words;
    expect(iptablesCommand.check(words('-A INPUT -p tcp --dport 80 -j ACCEPT'))).toBeUndefined();
    expect(iptablesCommand.check(words('-A INPUT -j some_chain_made_earlier'))).toBeUndefined();
    expect(iptablesCommand.check(words('-A INPUT --foo'))).toBe('iptables v1.8.9 (legacy): unknown option "--foo"\n' + TRY);
    expect(iptablesCommand.check(words('-t nat -P POSTROUTING DROP'))).toContain('inhibited');
  });

  it('a chain and its references: -X refuses while referenced, and -F then -X clears', () => {
    const { h } = setup();
    ok(h, '-N web', '-A INPUT -j web', '-A web -j ACCEPT');
    expect(ipt(h, '-N web')).toEqual({ exit: 1, output: 'iptables: Chain already exists.\n' });
    expect(ipt(h, '-X web')).toEqual({ exit: 1, output: 'iptables: Too many links.\n' });
    ok(h, '-F', '-X');
    expect(ipt(h, '-S').output).toBe('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n');
  });
});
