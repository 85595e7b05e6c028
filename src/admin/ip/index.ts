import { defineCommand, fail, sync, type AdminCommand } from '../AdminCommand.ts';
import { ipAddr } from './addr.ts';
import { Args, matches, notModelled, type IpOptions, type IpRun } from './common.ts';
import { ipLink } from './link.ts';
import { ipNeigh } from './neigh.ts';
import { ipRoute } from './route.ts';
import { ipRule } from './rule.ts';

/**
 * The `ip` program (iproute2 ip/ip.c): global options, then an object chosen by prefix in iproute2's table
 * order (so `ip a` is address, `ip r` route, `ip ru` rule, `ip n` neighbour, `ip l` link), then its command.
 */
type ObjectParser = (a: Args, opts: IpOptions) => IpRun;

const OBJECTS: ReadonlyArray<[string, ObjectParser | undefined]> = [
  ['address', ipAddr],
  ['addrlabel', undefined],
  ['maddress', undefined],
  ['route', ipRoute],
  ['rule', ipRule],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', undefined],
  ['ntbl', undefined],
  ['link', ipLink],
  ['l2tp', undefined],
  ['fou', undefined],
  ['ila', undefined],
  ['macsec', undefined],
  ['tunnel', undefined],
  ['tunl', undefined],
  ['tuntap', undefined],
  ['tap', undefined],
  ['token', undefined],
  ['tcpmetrics', undefined],
  ['tcp_metrics', undefined],
  ['monitor', undefined],
  ['xfrm', undefined],
  ['mroute', undefined],
  ['mrule', undefined],
  ['netns', undefined],
  ['netconf', undefined],
  ['vrf', undefined],
  ['sr', undefined],
  ['nexthop', undefined],
  ['mptcp', undefined],
  ['ioam', undefined],
  ['help', undefined],
  ['stats', undefined],
];

const USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  'where  OBJECT := { address | link | neighbour | route | rule }   (the objects lvs-lab models)',
  '       OPTIONS := { -4 | -family inet | -r[esolve] | -c[olor] }',
];

function parseIp(words: string[]): IpRun {
  let inet = false;
  let i = 0;
  while (i < words.length && words[i].startsWith('-') && words[i].length > 1) {
    let opt = words[i];
    if (opt.startsWith('--')) opt = opt.slice(1);
    if (opt === '-4') inet = true;
    else if (opt === '-6' || opt === '-0' || opt === '-M' || opt === '-B') throw notModelled(`the "${opt}" address family (IPv4 only)`);
    else if (matches(opt, '-family')) {
      const fam = words[++i];
      if (fam === undefined) throw fail(255, 'Command line is not complete. Try option "help"');
      if (fam === 'inet') inet = true;
      else throw notModelled(`the "${fam}" address family (IPv4 only)`);
    } else if (matches(opt, '-resolve') || matches(opt, '-color')) {
      // No name service in the lab, no colours in a trace: both change nothing.
    } else if (matches(opt, '-Version')) {
      return () => ({ exit: 0, output: 'ip utility, iproute2-6.1.0 (lvs-lab)\n' });
    } else if (matches(opt, '-help')) {
      throw fail(255, ...USAGE);
    } else if (
      matches(opt, '-stats') ||
      matches(opt, '-statistics') ||
      matches(opt, '-details') ||
      matches(opt, '-oneline') ||
      matches(opt, '-timestamp') ||
      matches(opt, '-batch') ||
      matches(opt, '-netns') ||
      matches(opt, '-json') ||
      matches(opt, '-pretty') ||
      matches(opt, '-brief') ||
      matches(opt, '-br') ||
      matches(opt, '-all') ||
      matches(opt, '-force') ||
      matches(opt, '-loops')
    ) {
      throw notModelled(`option "${words[i]}"`);
    } else {
      throw fail(255, `Option "${words[i]}" is unknown, try "ip -help".`);
    }
    i++;
  }
  if (i >= words.length) throw fail(255, ...USAGE);
  const obj = words[i];
  const entry = OBJECTS.find(([name]) => matches(obj, name));
  if (!entry) throw fail(255, `Object "${obj}" is unknown, try "ip help".`);
  const [name, parser] = entry;
  if (!parser) {
    if (name === 'help') throw fail(255, ...USAGE);
    throw notModelled(`"ip ${name}" (address, link, neighbour, route and rule are)`);
  }
  const a = new Args(words.slice(i + 1));
  if (a.peek() === 'help' || a.peek() === '-h') throw notModelled(`"ip ${name} help"`);
  return parser(a, { inet });
}

export const ipCommand: AdminCommand = defineCommand('ip', (args) => {
  const run = parseIp(args);
  return sync(run);
});
