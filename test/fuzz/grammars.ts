import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * Grammar-aware generators: inputs built from each format's own words, so most of them get past the first
 * token and reach the deeper readers (scenario YAML, every admin tool's argv, keepalived.conf, ldirectord.cf,
 * ipvsadm scripts and `-S` output, replay experiments). Values mix the valid, the boundary and the absurd.
 */

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

// ---------------------------------------------------------------- values
export const ipv4 = fc.oneof(
  { weight: 6, arbitrary: pick('10.0.0.1', '10.0.0.2', '192.168.1.1', '192.168.1.2', '192.168.1.3', '10.0.0.100', '127.0.0.1', '0.0.0.0', '255.255.255.255', '224.0.0.18', '10.1.1.10') },
  { weight: 2, arbitrary: fc.tuple(fc.nat(260), fc.nat(260), fc.nat(260), fc.nat(260)).map((p) => p.join('.')) },
  { weight: 1, arbitrary: pick('10.0.0', '10..0.1', '1.2.3.4.5', '::1', 'fe80::1', 'localhost', 'a.b.c.d', '', '10.0.0.1/24', '010.000.000.001') },
);
export const port = fc.oneof(pick('80', '443', '53', '21', '0', '1', '65535', '65536', '-1', 'http', 'https', 'ftp', 'domain', 'bogus', '99999999999', '8080'), fc.nat(70000).map(String));
export const num = fc.oneof(pick('0', '1', '-1', '2', '10', '100', '255', '256', '65535', '65536', '4294967295', '4294967296', '1e400', '0.5', 'NaN', 'abc', '', '9007199254740993', '2147483647'), fc.integer({ min: -5, max: 100000 }).map(String));
const prefix = fc.oneof(pick('8', '16', '24', '32', '0', '33', '-1', 'x', '255.255.255.0'), fc.nat(40).map(String));
export const cidr = fc.tuple(ipv4, prefix).map(([a, p]) => `${a}/${p}`);
const addrPort = fc.oneof(fc.tuple(ipv4, port).map(([a, p]) => `${a}:${p}`), ipv4, pick('[::1]:80', ':80', '10.0.0.1:', 'host:80'));
const iface = pick('eth0', 'eth1', 'eth0:1', 'eth0:110', 'lo', 'tunl0', 'eth9', 'ethernet0123456789', 'all', 'default', '', 'eth0.5', '/');
const mac = pick('02:00:00:00:00:01', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '02:00:00:00:00', 'zz:00:00:00:00:01', '02-00-00-00-00-01');
const sched = pick('rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos', 'bogus', '');
const duration = pick('0s', '1s', '10ms', '2.5s', '500us', '1ns', '-1s', '1e9s', '100000h', 'forever', '1', '0', '1.5', '30s', '1m', '1h');
const word = fc.string({ maxLength: 8 });

// ---------------------------------------------------------------- command lines
const sysctlKey = pick(
  'net.ipv4.ip_forward', 'net.ipv4.conf.all.arp_ignore', 'net.ipv4.conf.eth0.arp_announce', 'net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.lo.arp_ignore',
  'net.ipv4.vs.expire_nodest_conn', 'net.ipv4.vs.conntrack', 'net.ipv4.vs.sync_threshold', 'net.ipv4.vs.am_droprate', 'net.ipv4.conf.default.send_redirects',
  'net/ipv4/ip_forward', 'kernel.hostname', 'net.ipv4', 'net.ipv4.conf.eth0', 'net.ipv4.vs.drop_entry', 'net.ipv4.neigh.default.gc_thresh1',
);
const procPath = sysctlKey.map((k) => `/proc/sys/${k.replace(/\./g, '/')}`);

/** One tool's argv as a list of words: options of its grammar with values, in any order, plus junk. */
function argv(opts: fc.Arbitrary<string[]>, max = 8): fc.Arbitrary<string[]> {
  return fc.array(fc.oneof({ weight: 12, arbitrary: opts }, { weight: 1, arbitrary: word.map((w) => [w]) }), { maxLength: max }).map((xs) => xs.flat());
}

const ipvsadmOpt = fc.oneof(
  pick(['-A'], ['-E'], ['-D'], ['-C'], ['-L'], ['-l'], ['-Z'], ['-a'], ['-e'], ['-d'], ['-n'], ['-c'], ['-S'], ['-R'], ['-Ln'], ['-Lnc'], ['-h'], ['-v'], ['-m'], ['-g'], ['-i'], ['-X'], ['-6'], ['-o'],
    ['--stats'], ['--rate'], ['--thresholds'], ['--persistent-conn'], ['--sort'], ['--nosort'], ['--timeout'], ['--daemon'], ['--set'], ['--exact'], ['--tun-csum'], ['--clear'], ['--list'], ['--'], ['-p']),
  fc.tuple(pick('-t', '-u', '--sctp-service', '--tcp-service', '-r', '--real-server'), addrPort).map(([o, v]) => [o, v]),
  fc.tuple(pick('-f', '--fwmark-service'), num).map(([o, v]) => [o, v]),
  fc.tuple(pick('-s', '--scheduler'), sched).map(([o, v]) => [o, v]),
  fc.tuple(pick('-w', '-x', '-y', '-p', '--weight', '--syncid', '--mcast-port', '--mcast-ttl', '--sync-maxlen', '--tun-port'), num).map(([o, v]) => [o, v]),
  fc.tuple(pick('-M', '--netmask', '--mcast-group'), ipv4).map(([o, v]) => [o, v]),
  fc.tuple(pick('-b', '--sched-flags'), pick('sh-port', 'sh-fallback', 'mh-port', 'mh-fallback', 'flag-1', 'sh-port,sh-fallback', 'x')).map(([o, v]) => [o, v]),
  fc.tuple(pick('--set'), num, num, num).map(([o, a, b, c]) => [o, a, b, c]),
  fc.tuple(pick('--start-daemon', '--stop-daemon'), pick('master', 'backup', 'x')).map(([o, v]) => [o, v]),
  fc.tuple(pick('--mcast-interface', '--pe', '--tun-type'), pick('eth0', 'sip', 'gue', 'ipip', 'gre', 'x')).map(([o, v]) => [o, v]),
  fc.tuple(pick('-p', '-s', '-w', '-t', '-r'), num).map(([o, v]) => [`${o}${v}`]),
);

const ipOpt = fc.oneof(
  fc.tuple(pick('addr', 'address', 'a'), pick('add', 'del', 'show', 'sh', 'flush', 'list', 'ls', 'replace', 'change'), fc.option(cidr), pick('dev', 'label', 'brd', 'scope', 'broadcast', 'peer'), fc.oneof(iface, pick('+', 'host', 'link', 'global', 'nowhere'))).map((xs) => xs.filter((x): x is string => x !== null)),
  fc.tuple(pick('route', 'r', 'ro'), pick('add', 'del', 'show', 'replace', 'get', 'flush', 'change', 'append'), fc.oneof(cidr, pick('default', 'local', 'blackhole', 'unreachable', 'prohibit', 'throw')), fc.array(fc.oneof(fc.tuple(pick('via', 'dev', 'src', 'table', 'metric', 'scope', 'proto', 'type', 'onlink'), fc.oneof(ipv4, iface, num, pick('main', 'local', '100', 'link', 'host', 'kernel', 'static')))), { maxLength: 3 })).map(([a, b, c, rest]) => [a, b, c, ...rest.flat()]),
  fc.tuple(pick('link', 'l'), pick('set', 'show', 'add', 'del'), iface, fc.array(pick('up', 'down', 'arp', 'off', 'on', 'mtu', '1500', '0', 'address', '02:00:00:00:00:09', 'name', 'type', 'dummy', 'promisc', 'multicast'), { maxLength: 4 })).map(([a, b, c, rest]) => [a, b, c, ...rest]),
  fc.tuple(pick('neigh', 'neighbour', 'n'), pick('add', 'del', 'show', 'flush', 'replace', 'change'), ipv4, pick('lladdr', 'dev', 'nud'), fc.oneof(mac, iface, pick('permanent', 'reachable', 'stale', 'noarp', 'all'))).map((xs) => [...xs]),
  fc.tuple(pick('rule', 'ru'), pick('add', 'del', 'show', 'list', 'flush'), fc.array(fc.tuple(pick('from', 'to', 'fwmark', 'table', 'lookup', 'prio', 'priority', 'pref', 'iif', 'oif', 'not'), fc.oneof(cidr, ipv4, num, pick('all', '0x1', '0x1/0xff', 'main', '100', 'eth0'))), { maxLength: 3 })).map(([a, b, rest]) => [a, b, ...rest.flat()]),
  pick(['-4'], ['-s'], ['-d'], ['-o'], ['-br'], ['help'], ['tunnel'], ['-family', 'inet'], ['maddr'], ['monitor']),
);

const iptablesOpt = fc.oneof(
  fc.tuple(pick('-t', '--table'), pick('mangle', 'nat', 'filter', 'raw', 'security', 'x')).map(([a, b]) => [a, b]),
  fc.tuple(pick('-A', '-I', '-D', '-N', '-X', '-F', '-L', '-S', '-P', '-Z', '-R', '-E', '-C', '--append', '--list'), pick('PREROUTING', 'INPUT', 'OUTPUT', 'FORWARD', 'POSTROUTING', 'MYCHAIN', '', '1')).map(([a, b]) => [a, b]),
  fc.tuple(pick('-s', '-d', '--source', '--destination', '!'), fc.oneof(cidr, ipv4)).map(([a, b]) => [a, b]),
  fc.tuple(pick('-p', '--protocol'), pick('tcp', 'udp', 'icmp', 'all', '6', 'sctp', '!')).map(([a, b]) => [a, b]),
  fc.tuple(pick('--dport', '--sport', '--destination-port', '--dports', '--sports'), fc.oneof(port, pick('80:443', '80,443', '1:', ':1024'))).map(([a, b]) => [a, b]),
  fc.tuple(pick('-j', '--jump', '-g'), pick('MARK', 'ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'RETURN', 'LOG', 'MYCHAIN', 'x')).map(([a, b]) => [a, b]),
  fc.tuple(pick('--set-mark', '--set-xmark', '--to-destination', '--to-source', '--to-ports', '--mark'), fc.oneof(num, addrPort, pick('0x1', '0x1/0xff', '1/1'))).map(([a, b]) => [a, b]),
  fc.tuple(pick('-m', '--match'), pick('multiport', 'mark', 'state', 'conntrack', 'tcp', 'udp', 'ipvs', 'comment', 'x')).map(([a, b]) => [a, b]),
  fc.tuple(pick('-i', '-o', '--in-interface', '--out-interface'), iface).map(([a, b]) => [a, b]),
  pick(['-n'], ['-v'], ['-x'], ['--line-numbers'], ['-w'], ['--version'], ['-h'], ['--state', 'NEW'], ['--vaddr', '10.0.0.1'], ['--comment', 'x y']),
);

const ifconfigArgs = fc.tuple(fc.option(iface), fc.array(fc.oneof(ipv4, pick('netmask', 'broadcast', 'up', 'down', 'mtu', '1500', 'hw', 'ether', '02:00:00:00:00:05', 'arp', '-arp', 'promisc', 'add', 'del', '255.255.255.0', '255.255.255.255', 'pointopoint', '-a', '-s', 'inet', 'metric', '1')), { maxLength: 6 })).map(([i, rest]) => (i === null ? rest : [i, ...rest]));
const routeArgs = fc.array(fc.oneof(ipv4, cidr, iface, pick('add', 'del', '-net', '-host', 'default', 'gw', 'netmask', '255.255.255.0', '0.0.0.0', 'dev', 'metric', '1', 'reject', '-n', '-A', 'inet', '-e', 'mss', 'window', 'irtt', 'reinstate', 'mod', 'dyn', 'flush')), { maxLength: 9 });
const arpArgs = fc.array(fc.oneof(ipv4, mac, iface, pick('-s', '-d', '-a', '-n', '-i', '-H', 'ether', '-e', 'pub', 'temp', '-f', '-D', '-v', '--set', '--delete', '-A', 'inet')), { maxLength: 6 });
const sysctlArgs = fc.array(fc.oneof(sysctlKey, fc.tuple(sysctlKey, num).map(([k, v]) => `${k}=${v}`), fc.tuple(sysctlKey, num).map(([k, v]) => `${k} = ${v}`), pick('-w', '-p', '-a', '-n', '-e', '-q', '-N', '--all', '--load', '--values', '/etc/sysctl.conf', '-p/etc/sysctl.conf', 'net.ipv4.conf.all.arp_ignore=1', '=', 'x=')), { maxLength: 4 });
const pingArgs = fc.array(fc.oneof(ipv4, pick('-c', '-i', '-W', '-w', '-s', '-t', '-I', '-q', '-n', '-b', '-f', '-D', '-O', '-r', '-p', '-Q', '-M', 'do', 'dont', 'want'), num, pick('0.2', '0.001', '0', '1', '3', '65507', '65508', '-c1', '-c0', '-c100000', '-i0', '-s99999')), { maxLength: 7 });
const arpingArgs = fc.array(fc.oneof(ipv4, iface, pick('-c', '-I', '-U', '-A', '-s', '-D', '-q', '-f', '-b', '-w', '-i', '-0', '1', '3', '0', '100000')), { maxLength: 7 });
const echoCat = fc.oneof(
  fc.tuple(pick('echo', 'echo -n', 'echo -e'), fc.oneof(num, pick('"1"', "'0'", '1 2', '', 'abc', '"1\\n"', '0x1', '  1  ')), pick(' > ', ' >', '>', ' >> ', ' 2> '), procPath).map(([e, v, r, p]) => `${e} ${v}${r}${p}`),
  fc.tuple(pick('cat', 'cat -A', 'cat'), fc.oneof(procPath, pick('/proc/net/ip_vs', '/proc/net/ip_vs_conn', '/proc/net/ip_vs_stats', '/etc/passwd', '/proc/sys/net/ipv4/conf/', ''))).map(([c, p]) => `${c} ${p}`),
);
const systemctlArgs = fc.tuple(pick('start', 'stop', 'restart', 'status', 'reload', 'enable', 'is-active', 'kill', ''), pick('keepalived', 'ldirectord', 'heartbeat', 'sshd', '', 'keepalived.service')).map(([a, b]) => [a, b]);

const quoteWord = (w: string) => (/^[A-Za-z0-9_./:=,+@%-]*$/.test(w) && w !== '' ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** A command line for the lab shell, from one tool's grammar. */
export const commandLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: argv(ipvsadmOpt).map((a) => ['ipvsadm', ...a]) },
  { weight: 4, arbitrary: argv(ipOpt, 3).map((a) => ['ip', ...a]) },
  { weight: 3, arbitrary: argv(iptablesOpt).map((a) => ['iptables', ...a]) },
  { weight: 2, arbitrary: ifconfigArgs.map((a) => ['ifconfig', ...a]) },
  { weight: 2, arbitrary: routeArgs.map((a) => ['route', ...a]) },
  { weight: 1, arbitrary: arpArgs.map((a) => ['arp', ...a]) },
  { weight: 2, arbitrary: sysctlArgs.map((a) => ['sysctl', ...a]) },
  { weight: 1, arbitrary: pingArgs.map((a) => ['ping', ...a]) },
  { weight: 1, arbitrary: arpingArgs.map((a) => ['arping', ...a]) },
  { weight: 1, arbitrary: fc.tuple(pick('modprobe', 'modprobe -r'), pick('ip_vs', 'ip_vs_rr', 'ip_vs_wlc', 'ipip', 'x', '')).map(([a, b]) => [a, b]) },
  { weight: 1, arbitrary: fc.tuple(pick('systemctl', 'service', '/bin/systemctl'), systemctlArgs).map(([a, b]) => [a, ...b]) },
).map((words) => words.map((w) => (w.includes(' ') && !w.startsWith('-') ? w : quoteWord(w))).join(' '))
  .map((l) => l)
  .chain((l) => fc.oneof({ weight: 8, arbitrary: fc.constant(l) }, { weight: 1, arbitrary: echoCat }));

// ---------------------------------------------------------------- scenario YAML
const HOSTS = ['client', 'director', 'rs1', 'rs2', 'router'];
const hostName = fc.oneof({ weight: 8, arbitrary: pick(...HOSTS) }, { weight: 1, arbitrary: pick('', 'a b', '.x', 'x'.repeat(65), 'h-1', 'lo') });
const iface2 = pick('eth0', 'eth1', 'lo', 'tunl0', 'eth0:1', 'x'.repeat(16));
const segName = pick('lan', 'wan', 'dmz', 'nope');
const anyValue: fc.Arbitrary<unknown> = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));

function maybe<T>(a: fc.Arbitrary<T>, freq = 3): fc.Arbitrary<T | undefined> {
  return fc.option(a, { nil: undefined, freq });
}

function rec(obj: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(obj, { requiredKeys: [] }).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
}

const segment = rec({ bandwidth: maybe(pick('100Mbit', '1Gbit', '10kbit', '0bit', 'fast', '1e400bit')), latency: maybe(duration), queue: maybe(fc.oneof(fc.integer({ min: -1, max: 2_000_000 }), anyValue)) });
const ifaceSpec = rec({ segment: maybe(segName, 1), mac: maybe(mac), addresses: maybe(fc.array(cidr, { maxLength: 3 })), latency: maybe(duration), bandwidth: maybe(pick('10Mbit', '1bit')) });
const service = rec({ port: fc.oneof(fc.integer({ min: -1, max: 70000 }), anyValue), protocol: maybe(pick('tcp', 'udp', 'sctp')), response: maybe(pick('1KiB', '0B', '1GiB', '10', 'x')), app: maybe(pick('http', 'ftp', 'dns', 'greeting', 'x')) });
const hostSpec = rec({
  role: maybe(pick('client', 'director', 'real-server', 'router', 'backup', 'x')),
  position: maybe(fc.oneof(fc.tuple(fc.integer(), fc.integer()), fc.array(fc.double(), { maxLength: 3 }))),
  interfaces: maybe(fc.dictionary(iface2, ifaceSpec, { maxKeys: 3 }), 1),
  sysctl: maybe(fc.dictionary(sysctlKey, fc.oneof(num, anyValue), { maxKeys: 3 })),
  commands: maybe(fc.array(commandLine, { maxLength: 4 })),
  services: maybe(fc.array(service, { maxLength: 2 })),
  cpu: maybe(rec({ per_packet: maybe(duration), per_byte: maybe(duration), backlog: maybe(fc.integer({ min: -1, max: 2_000_000 })) })),
});
const at = fc.oneof(duration, anyValue);
const timelineEntry = fc.oneof(
  rec({ at, host: hostName, run: commandLine }),
  rec({ at, link: fc.tuple(hostName, iface2).map(([h, i]) => `${h}/${i}`), state: pick('up', 'down', 'x') }),
  rec({ at, cable: fc.tuple(hostName, iface2).map(([h, i]) => `${h}/${i}`), state: pick('up', 'down') }),
  rec({ at, crash: hostName }),
  rec({ at, restart: hostName }),
  rec({ at, slow: hostName, factor: fc.oneof(fc.double(), fc.integer()) }),
  rec({ at, loss: fc.tuple(hostName, iface2).map(([h, i]) => `${h}/${i}`), probability: fc.oneof(fc.double(), fc.integer()) }),
  rec({ when: rec({ kind: maybe(pick('drop', 'ipvs', 'tx', 'rx', 'command', 'x')), reason: maybe(pick('link-down', 'no-route')), event: maybe(pick('conn', 'x')) }), crash: hostName }),
);
const countFilter = fc.dictionary(pick('kind', 'host', 'iface', 'pkt', 'event', 'reason', 'toString', 'x'), anyValue, { maxKeys: 3 });
const expectEntry = fc.oneof(
  rec({ count: countFilter, equals: maybe(fc.integer()), atLeast: maybe(fc.integer()), atMost: maybe(fc.integer()) }),
  rec({ at: maybe(at), host: hostName, run: commandLine, output: rec({ contains: maybe(fc.string({ maxLength: 5 })), equals: maybe(fc.string({ maxLength: 5 })), matches: maybe(pick('a|b', '(', '[', '(a+)+$', '.*', '\\')), line: maybe(fc.string({ maxLength: 5 })) }) }),
  rec({ share: rec({ host: hostName, dest: maybe(pick('192.168.1.2:80', 'x')) }), between: maybe(fc.array(fc.double(), { maxLength: 3 })), at: maybe(at) }),
  rec({ neigh: rec({ host: hostName, address: ipv4 }), lladdr: maybe(mac), absent: maybe(fc.boolean()) }),
  rec({ responseTime: rec({ host: hostName }), percentile: maybe(fc.double()), atMost: maybe(duration) }),
);
const traffic = rec({ at, from: hostName, to: fc.oneof(addrPort, ipv4), protocol: maybe(pick('tcp', 'udp')), request: maybe(pick('100B', '1KiB', '0B', 'x')), count: maybe(fc.integer({ min: -1, max: 2_000_000 })), interval: maybe(duration) });

/** A whole scenario, built as data and written as YAML (so it parses; the readers then judge it). */
export const scenarioYaml: fc.Arbitrary<string> = rec({
  name: maybe(fc.oneof(fc.string({ maxLength: 10 }), anyValue), 8),
  description: maybe(fc.string({ maxLength: 20 })),
  seed: maybe(fc.oneof(fc.integer(), anyValue)),
  duration: maybe(pick('1s', '200ms', '0s', '-1s', '3', 'x', '1e400s')),
  segments: maybe(fc.dictionary(segName, segment, { maxKeys: 3 }), 8),
  hosts: fc.dictionary(hostName, hostSpec, { minKeys: 1, maxKeys: 4 }),
  timeline: maybe(fc.array(timelineEntry, { maxLength: 4 })),
  expect: maybe(fc.array(expectEntry, { maxLength: 4 })),
  traffic: maybe(fc.array(traffic, { maxLength: 2 })),
  narration: maybe(fc.array(rec({ at: maybe(at), when: maybe(rec({ kind: maybe(pick('ipvs', 'drop')) })), text: maybe(fc.string({ maxLength: 10 })) }), { maxLength: 2 })),
  exercise: maybe(rec({ task: maybe(fc.string({ maxLength: 5 })), goal: maybe(fc.array(expectEntry, { maxLength: 2 })), hints: maybe(fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 })) }), 6),
}).map((doc) => stringify(doc, { lineWidth: 0 }));

// ---------------------------------------------------------------- keepalived / ldirectord / scripts / -S
const kaKeyword = pick(
  'global_defs', 'router_id', 'notification_email', 'vrrp_instance', 'state', 'MASTER', 'BACKUP', 'interface', 'virtual_router_id', 'priority', 'advert_int',
  'authentication', 'auth_type', 'PASS', 'auth_pass', 'virtual_ipaddress', 'virtual_server', 'delay_loop', 'lb_algo', 'lb_kind', 'NAT', 'DR', 'TUN', 'persistence_timeout',
  'protocol', 'TCP', 'UDP', 'real_server', 'weight', 'HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'MISC_CHECK', 'url', 'path', 'digest', 'status_code', 'connect_timeout',
  'connect_port', 'retry', 'delay_before_retry', 'sorry_server', 'inhibit_on_failure', 'vrrp_sync_group', 'group', 'track_interface', 'nopreempt', 'preempt_delay',
  'virtual_server_group', 'fwmark', 'include', 'lvs_sched', 'lvs_method', 'quorum', 'hysteresis', 'alpha', 'omega', 'vrrp_script', 'script', 'track_script', 'garp_master_delay',
  'unicast_peer', 'unicast_src_ip', 'unicast_ttl', 'check_unicast_src', 'dont_track_primary', 'lower_prio_no_advert', 'higher_prio_send_advert',
  'garp_lower_prio_repeat', 'garp_lower_prio_delay', 'vrrp_strict', 'vrrp_lower_prio_no_advert', 'vrrp_garp_lower_prio_repeat', 'lvs_sync_daemon', 'strict_mode', 'vrrp_min_garp', 'vrrp_garp_master_repeat', 'vrrp_garp_master_delay', 'on', 'off', 'lvs_timeouts', 'tcp', 'tcpfin', 'udp', 'ops', 'hashed', 'sh-port', 'sh-fallback', 'mh-port', 'mh-fallback', 'sh', 'mh',
);
const kaValue = fc.oneof(ipv4, port, num, sched, cidr, iface, pick('"quoted"', '/index.html', '{', '}', '"', '#', '!', 'dev eth0', 'label eth0:1'));
const kaLine = fc.tuple(fc.nat(4), kaKeyword, fc.array(kaValue, { maxLength: 3 }), pick('', '', ' {', ' }', ' {}', ' # c')).map(([ind, k, vs, tail]) => `${'  '.repeat(ind)}${[k, ...vs].join(' ')}${tail}`);
export const keepalivedConf = fc.array(fc.oneof({ weight: 8, arbitrary: kaLine }, { weight: 2, arbitrary: pick('}', '{', '') }), { maxLength: 40 }).map((ls) => ls.join('\n'));

const ldKey = pick('virtual', 'real', 'checktype', 'service', 'scheduler', 'protocol', 'checkinterval', 'checktimeout', 'request', 'receive', 'quiescent', 'fallback', 'persistent', 'netmask', 'autoreload', 'logfile', 'emailalert', 'fork', 'negotiatetimeout', 'checkport', 'virtualhost', 'httpmethod', 'failurecount', 'callback', 'supervised');
const ldValue = fc.oneof(addrPort, ipv4, sched, num, pick('yes', 'no', 'negotiate', 'connect', 'ping', 'off', 'on', 'http', 'tcp', 'udp', 'fwm', 'gate', 'masq', 'ipip', '"index.html"', '"ok"', 'http://x/', '10.0.0.2->10.0.0.5:80 gate', '10.0.0.2:80 masq 5'));
export const ldirectordCf = fc.array(fc.tuple(pick('', '\t', '    ', '  '), ldKey, pick('=', ' = ', ' ', '=='), ldValue, fc.option(ldValue)).map(([i, k, eq, v, w]) => `${i}${k}${eq}${v}${w === null ? '' : ` ${w}`}`), { maxLength: 20 }).map((ls) => ls.join('\n'));

export const ipvsadmScript = fc.array(fc.oneof({ weight: 6, arbitrary: commandLine }, { weight: 1, arbitrary: pick('#!/bin/sh', 'set -e', 'VIP=10.0.0.1', '$IPVSADM -A -t $VIP:80', 'if true; then', 'fi', 'echo done', '/sbin/ipvsadm -C', 'ipvsadm -A -t 10.0.0.1:80 \\', '  -s rr', 'exit 0', 'function f() {', '}') }), { maxLength: 20 }).map((ls) => ls.join('\n'));
export const ipvsadmSave = fc.array(argv(ipvsadmOpt, 6).map((a) => a.join(' ')), { maxLength: 12 }).map((ls) => ls.join('\n'));

// ---------------------------------------------------------------- replay experiments
const server = rec({ name: fc.oneof({ weight: 6, arbitrary: pick('rs1', 'rs2', 'rs3', 'rs4') }, { weight: 1, arbitrary: pick('rs0', 'rs999', 'rs256', 'x', 'rs1000000') }), weight: maybe(fc.integer({ min: -1, max: 70000 })), u_threshold: maybe(fc.integer({ min: -1, max: 10 })), l_threshold: maybe(fc.integer({ min: -1, max: 10 })) });
const expService = rec({ vip: maybe(pick('10.0.0.100', '10.0.0.101', '10.1.0.1', '10.2.1.1', '0.0.0.0', '255.255.255.255', 'x'), 8), port: maybe(fc.integer({ min: -1, max: 70000 })), sched: sched, sched_flags: maybe(pick('sh-port', 'mh-fallback,mh-port', 'x')), persistent: maybe(fc.integer({ min: 0, max: 100000 })), netmask: maybe(pick('255.255.255.0', '255.255.255.255', '0.0.0.0', '1.2.3.4')), fwmark: maybe(fc.integer({ min: 0, max: 5 })), fwmark_match: maybe(pick('10.3.0.0/16', '10.0.0.0/8', '0.0.0.0/0', 'x')) });
const src = pick('10.1.1.10', '10.1.1.11', '10.1.2.3', '10.1.0.0', '10.1.255.255', '10.9.9.9', '10.0.0.100', '192.168.0.1');
const step = fc.oneof(
  { weight: 6, arbitrary: rec({ op: fc.constant('open'), src, sport: maybe(fc.integer({ min: 0, max: 70000 })), dst: maybe(pick('10.0.0.100', '10.3.0.5', '10.0.0.101')), dport: maybe(fc.integer({ min: 0, max: 70000 })) }) },
  { weight: 3, arbitrary: rec({ op: fc.constant('close'), conn: fc.integer({ min: -1, max: 20 }), rst: maybe(fc.boolean()) }) },
  { weight: 1, arbitrary: rec({ op: fc.constant('close_all') }) },
  { weight: 2, arbitrary: rec({ op: pick('weight', 'add_server', 'del_server'), server: pick('rs1', 'rs2', 'rs3', 'rs9'), weight: maybe(fc.integer({ min: -1, max: 70000 })) }) },
  { weight: 2, arbitrary: rec({ op: fc.constant('wait'), seconds: fc.oneof(pick(0.001, 1, 5, 60, 300, 3600, 86400, 0, -1), fc.double({ min: 0, max: 100, noNaN: true })) }) },
  { weight: 2, arbitrary: rec({ op: fc.constant('dump'), what: fc.array(pick('list', 'stats', 'conns', 'rate', 'persistent', 'timeout', 'x'), { maxLength: 3 }) }) },
);
export const experimentJson: fc.Arbitrary<string> = rec({
  name: fc.oneof({ weight: 8, arbitrary: pick('fuzz', 'e1') }, { weight: 1, arbitrary: anyValue }),
  description: maybe(fc.string({ maxLength: 5 })),
  mode: maybe(pick('nat', 'dr', 'tun', 'x')),
  servers: fc.array(server, { maxLength: 4 }),
  services: fc.array(expService, { maxLength: 2 }),
  director_sysctl: maybe(fc.array(pick('net.ipv4.vs.expire_nodest_conn=1', 'net.ipv4.vs.conntrack=1', 'x', '=1', 'net.ipv4.vs.sloppy_tcp=1', 'kernel.x=1'), { maxLength: 2 })),
  steps: fc.array(step, { maxLength: 12 }),
}).map((o) => JSON.stringify(o, null, 1));
