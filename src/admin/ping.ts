import { defineCommand, fail, type AdminCommand, type Execution } from './AdminCommand.ts';
import { ipLocalOut, routeOutput, type Host } from '../net/index.ts';
import { MS, SECOND, US, type EventHandle, type SimTime } from '../sim/index.ts';
import {
  formatIpv4,
  IcmpType,
  IcmpUnreachCode,
  IPV4_BROADCAST,
  isIcmpEcho,
  parseIpv4,
  payloadOfLength,
  type IcmpEcho,
  type IcmpError,
  type Ipv4Address,
} from '../wire/index.ts';

/**
 * iputils `ping` (ping/ping.c, ping/ping_common.c) on a ping socket: one ICMP echo request per interval
 * (default 1 s) through ipLocalOut, replies and ICMP errors from the socket, all timing from simulated time.
 *
 * Exit timing as iputils: with `-c N`, ping stops as soon as every request has been answered by a reply or an
 * error; otherwise, after the last request it waits — 2 × the longest round trip (at least one interval) if any
 * reply came, else the linger time (`-W`, default 10 s). `-w S` is a hard deadline. Exit status 0 if any reply
 * came (and, with -w and -c, all of them), 1 if not, 2 on errors before sending. The lab has no name service:
 * DEST must be an address, and a ping without -c or -w is refused (it would never end).
 */
interface PingOptions {
  count?: number;
  deadline?: SimTime;
  linger: SimTime;
  interval: SimTime;
  iface?: string;
  source?: Ipv4Address;
  size: number;
  ttl?: number;
  quiet: boolean;
  broadcast: boolean;
  destText: string;
  dest: Ipv4Address;
}

const USAGE_HINT = '\nUsage\n  ping [options] <destination>\n';

function invalid(arg: string): never {
  throw fail(2, `ping: invalid argument: '${arg}'`);
}

/**
 * A number of seconds as iputils reads -i/-W/-w (decimals allowed) → ns. iputils refuses -i and -W above
 * INT_MAX / 1000 s ("bad timing interval", "bad linger time") and -w above INT_MAX s; the lab's clock also
 * stops at 2^53 ns (about 104 days), so times beyond MAX_LAB_SECONDS are refused with what lvs-lab can do.
 */
function seconds(v: string, what: string, max: number): SimTime {
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(v) || Number(v) > max) throw fail(2, `ping: bad ${what}: ${v}`);
  if (Number(v) > MAX_LAB_SECONDS) throw fail(2, `ping: ${what} ${v}: lvs-lab simulates at most ${MAX_LAB_SECONDS} s`);
  return Math.round(Number(v) * SECOND);
}

/** iputils' bound on -i and -W (ping/ping.c: INT_MAX / 1000 seconds). */
const MAX_IPUTILS_SECONDS = 2147483647 / 1000;
/** A timer a lab command may set, well inside the clock's 2^53 ns. */
export const MAX_LAB_SECONDS = 1_000_000;

function parsePing(args: string[]): PingOptions {
  const o: Partial<PingOptions> & { linger: SimTime; interval: SimTime; size: number; quiet: boolean; broadcast: boolean } = {
    linger: 10 * SECOND,
    interval: SECOND,
    size: 56,
    quiet: false,
    broadcast: false,
  };
  let dest: string | undefined;
  const withValue = 'ciIsWwtQlpM';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      if (dest !== undefined) throw fail(2, `ping: usage error: Only one destination address is allowed${USAGE_HINT}`.trimEnd());
      dest = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (withValue.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) throw fail(2, `ping: option requires an argument -- '${c}'${USAGE_HINT}`.trimEnd());
        switch (c) {
          case 'c':
            if (!/^\d+$/.test(v) || Number(v) < 1) invalid(v);
            o.count = Number(v);
            break;
          case 'i':
            o.interval = seconds(v, 'timing interval', MAX_IPUTILS_SECONDS);
            break;
          case 'W':
            o.linger = seconds(v, 'linger time', MAX_IPUTILS_SECONDS);
            break;
          case 'w':
            o.deadline = seconds(v, 'wait time', 2147483647);
            break;
          case 's':
            if (!/^\d+$/.test(v)) invalid(v);
            if (Number(v) > 65507) throw fail(2, `ping: packet size ${v} is too large. Maximum is 65507`);
            o.size = Number(v);
            break;
          case 't':
            if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 255) throw fail(2, `ping: invalid argument: '${v}': out of range: 1 <= value <= 255`);
            o.ttl = Number(v);
            break;
          case 'I': {
            const addr = parseIpv4(v);
            if (addr !== undefined) o.source = addr;
            else o.iface = v;
            break;
          }
          default:
            throw fail(2, `ping: option "-${c}" is not modelled by lvs-lab`);
        }
        break;
      }
      if (c === 'n' || c === '4' || c === 'v') continue;
      if (c === 'q') o.quiet = true;
      else if (c === 'b') o.broadcast = true;
      else if ('fDdRrUAaBLOh6'.includes(c)) throw fail(2, `ping: option "-${c}" is not modelled by lvs-lab`);
      else throw fail(2, `ping: invalid option -- '${c}'${USAGE_HINT}`.trimEnd());
    }
  }
  if (dest === undefined) throw fail(2, `ping: usage error: Destination address required`);
  const addr = parseIpv4(dest);
  if (addr === undefined) throw fail(2, `ping: ${dest}: Name or service not known`);
  if (o.count === undefined && o.deadline === undefined) {
    throw fail(2, 'ping: lvs-lab needs -c COUNT or -w DEADLINE (without them ping runs until it is interrupted)');
  }
  return { ...o, destText: dest, dest: addr };
}

export const pingCommand: AdminCommand = defineCommand('ping', (args) => {
  const o = parsePing(args);
  const exec: Execution = (host, done) => runPing(host, o, done);
  return exec;
});

// ------------------------------------------------------------------------------------------------ run

const ERRNO_TEXT: Record<string, string> = {
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  ENODEV: 'No such device',
};

function runPing(host: Host, o: PingOptions, done: (r: { exit: number; output: string }) => void): void {
  const sim = host.ctx.sim;
  if (o.iface !== undefined && !host.iface(o.iface)) return done({ exit: 2, output: `ping: SO_BINDTODEVICE ${o.iface}: No such device\n` });
  if (o.source !== undefined && !host.isLocalAddress(o.source)) return done({ exit: 2, output: 'ping: bind: Cannot assign requested address\n' });
  // ping connects a probe socket first to learn its source address (and whether there is a route at all).
  const route = routeOutput(host, o.dest, { src: o.source, oif: o.iface });
  if (route.kind === 'error') return done({ exit: 2, output: `ping: connect: ${ERRNO_TEXT[route.errno] ?? route.errno}\n` });
  if ((o.dest === IPV4_BROADCAST || route.broadcast) && !o.broadcast) {
    return done({ exit: 2, output: 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n' });
  }
  const src = route.src;
  let out = `PING ${o.destText} (${formatIpv4(o.dest)}) `;
  if (o.iface !== undefined || o.source !== undefined) out += `from ${formatIpv4(src)} ${o.iface ?? ''}: `;
  out += `${o.size}(${o.size + 28}) bytes of data.\n`;

  const ident = host.stream('ping').int(0, 0xffff);
  const start = sim.now();
  // iputils keeps a 65536-entry table of answered sequence numbers (rcvd_tbl), indexed by the 16-bit sequence
  // and cleared when that slot is sent again; the send times live here beside it (iputils puts them in the
  // payload). A run of fewer pings needs only as many slots.
  const slots = o.count !== undefined ? Math.min(o.count + 1, 0x10000) : 0x10000;
  const sentAt = new Float64Array(slots).fill(-1);
  const answered = new Uint8Array(slots);
  let ntransmitted = 0;
  let nreceived = 0;
  let nrepeats = 0;
  let nerrors = 0;
  let pipesize = 1;
  let lastSend = start;
  let tmin = Number.MAX_SAFE_INTEGER;
  let tmax = 0;
  let tsum = 0;
  let tsum2 = 0;
  let finished = false;
  let nextSend: EventHandle | undefined;
  let exitTimer: EventHandle | undefined;
  let deadlineTimer: EventHandle | undefined;

  const acknowledge = (seq: number) => {
    const diff = ntransmitted - seq;
    if (diff + 1 > pipesize) pipesize = diff + 1;
  };

  const finish = () => {
    if (finished) return;
    finished = true;
    sim.cancel(nextSend);
    sim.cancel(exitTimer);
    sim.cancel(deadlineTimer);
    close();
    out += statistics();
    const exit = nreceived === 0 || (o.deadline !== undefined && o.count !== undefined && nreceived < o.count) ? 1 : 0;
    done({ exit, output: out });
  };

  const checkDone = () => {
    if (o.count !== undefined && nreceived + nerrors >= o.count) finish();
    else if (o.deadline !== undefined && nerrors > 0) finish();
  };

  const close = host.sockets.openPing(ident, {
    onEchoReply: (from, m, ttl) => {
      if (finished) return;
      const slot = m.sequence % slots;
      const sent = sentAt[slot];
      if (sent < 0) return;
      const triptime = Math.floor((sim.now() - sent) / US);
      const dup = answered[slot] === 1;
      if (dup) nrepeats++;
      else {
        nreceived++;
        answered[slot] = 1;
        acknowledge(m.sequence);
      }
      tsum += triptime;
      tsum2 += triptime * triptime;
      if (triptime < tmin) tmin = triptime;
      if (triptime > tmax) tmax = triptime;
      if (!o.quiet) out += `${m.payload.length + 8} bytes from ${formatIpv4(from)}: icmp_seq=${m.sequence} ttl=${ttl} time=${formatRtt(triptime)}${dup ? ' (DUP!)' : ''}\n`;
      checkDone();
    },
    onError: (from, m) => {
      if (finished) return;
      const quoted = m.original.l4;
      const seq = quoted.proto === 'icmp' && isIcmpEcho(quoted) ? quoted.sequence : 0;
      nerrors++;
      acknowledge(seq);
      if (!o.quiet) out += `From ${formatIpv4(from)} icmp_seq=${seq} ${describeIcmpError(m)}\n`;
      checkDone();
    },
  });

  const send = () => {
    nextSend = undefined;
    if (finished) return;
    const seq = ++ntransmitted;
    const now = sim.now();
    lastSend = now;
    const slot = (seq & 0xffff) % slots;
    sentAt[slot] = now;
    answered[slot] = 0;
    const echo: IcmpEcho = { proto: 'icmp', type: IcmpType.echoRequest, code: 0, ident, sequence: seq & 0xffff, payload: payloadOfLength(o.size) };
    const r = ipLocalOut(host, { dst: o.dest, src, protocol: 1, l4: echo, oif: o.iface, ttl: o.ttl, df: false });
    if (!r.ok) {
      nerrors++;
      out += `ping: sendmsg: ${ERRNO_TEXT[r.errno] ?? r.errno}\n`;
    }
    if (o.count === undefined || ntransmitted < o.count) {
      nextSend = sim.schedule(o.interval, send);
    } else if (o.deadline === undefined) {
      // __schedule_exit: how long to wait for the last answers.
      const wait = nreceived > 0 ? Math.max(2 * tmax * US, o.interval) : o.linger;
      exitTimer = sim.schedule(wait, finish);
    }
    if (!r.ok) checkDone();
  };

  const statistics = (): string => {
    let s = `\n--- ${o.destText} ping statistics ---\n`;
    s += `${ntransmitted} packets transmitted, ${nreceived} received`;
    if (nrepeats) s += `, +${nrepeats} duplicates`;
    if (nerrors) s += `, +${nerrors} errors`;
    if (ntransmitted) s += `, ${formatG(((ntransmitted - nreceived) * 100) / ntransmitted)}% packet loss`;
    s += `, time ${Math.floor((lastSend - start + 500 * US) / MS)}ms\n`;
    const tail: string[] = [];
    if (nreceived) {
      const n = nreceived + nrepeats;
      const avg = Math.floor(tsum / n);
      const mdev = Math.floor(Math.sqrt(Math.max(0, Math.floor(tsum2 / n) - avg * avg)));
      tail.push(`rtt min/avg/max/mdev = ${ms3(tmin)}/${ms3(avg)}/${ms3(tmax)}/${ms3(mdev)} ms`);
    }
    if (pipesize > 1) tail.push(`pipe ${pipesize}`);
    return s + tail.join(', ') + '\n';
  };

  if (o.deadline !== undefined) deadlineTimer = sim.schedule(o.deadline, finish);
  send();
}

/** iputils' `time=` field: µs shown with 3, 2, 1 or 0 decimals of ms as the value grows. */
export function formatRtt(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)} ms`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)} ms`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')} ms`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')} ms`;
}

function ms3(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

/** printf's %g with the default precision of 6. */
function formatG(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** pr_icmph: the words iputils prints for an ICMP error. */
function describeIcmpError(m: IcmpError): string {
  if (m.type === IcmpType.destUnreachable) {
    switch (m.code) {
      case IcmpUnreachCode.net:
        return 'Destination Net Unreachable';
      case IcmpUnreachCode.host:
        return 'Destination Host Unreachable';
      case IcmpUnreachCode.protocol:
        return 'Destination Protocol Unreachable';
      case IcmpUnreachCode.port:
        return 'Destination Port Unreachable';
      case IcmpUnreachCode.fragNeeded:
        return `Frag needed and DF set (mtu = ${m.mtu})`;
      case 5:
        return 'Source Route Failed';
      case 9:
        return 'Destination Net Prohibited';
      case 10:
        return 'Destination Host Prohibited';
      case IcmpUnreachCode.adminProhibited:
        return 'Packet filtered';
      default:
        return `Dest Unreachable, Bad Code: ${m.code}`;
    }
  }
  if (m.type === IcmpType.timeExceeded) return m.code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  if (m.type === IcmpType.redirect) return `Redirect Host(New nexthop: ${formatIpv4(m.gateway)})`;
  return `Bad ICMP type: ${m.type}`;
}
