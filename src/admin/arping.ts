import { defineCommand, fail, type AdminCommand, type CommandResult } from './AdminCommand.ts';
import { routeOutput, sendArpingRequest, sendGratuitous, type Host, type Interface } from '../net/index.ts';
import { SECOND, type EventHandle, type SimTime } from '../sim/index.ts';
import { ArpOp, formatIpv4, MAC_BROADCAST, parseIpv4, type ArpPacket, type Frame, type Ipv4Address, type MacAddress } from '../wire/index.ts';
import { MAX_LAB_SECONDS } from './ping.ts';

/**
 * iputils `arping` (arping.c): ARP requests from user space on one device, one per interval (1 s), replies
 * read from a packet socket (Host.arpTaps) while the kernel processes them as usual. After the first reply it
 * asks by unicast to the MAC it learned (unless -b). `-c N` stops after N intervals; `-w S` is a deadline (with
 * -c it also ends as soon as N replies came); `-f` ends at the first reply; `-U`/`-A` send gratuitous requests /
 * replies and end after the last one. The reply time printed is iputils' own computation, which adds 0.5 ms to
 * the measured time. The lab needs -c or -w (arping would otherwise run until interrupted).
 */
interface ArpingOptions {
  count: number; // -1: unlimited
  timeout?: SimTime;
  interval: SimTime;
  iface?: string;
  source?: string;
  unsolicited?: 'request' | 'reply';
  broadcastOnly: boolean;
  quitOnReply: boolean;
  quiet: boolean;
  dest: Ipv4Address;
}

const USAGE =
  'Usage: arping [-fqbDUAV] [-c count] [-w timeout] [-i interval] [-I device] [-s source] destination';

function parseArping(args: string[]): ArpingOptions {
  const o: ArpingOptions = { count: -1, interval: SECOND, broadcastOnly: false, quitOnReply: false, quiet: false, dest: 0 };
  let dest: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      if (dest !== undefined) throw fail(2, USAGE);
      dest = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if ('cwiIs'.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) throw fail(2, `arping: option requires an argument -- '${c}'`, USAGE);
        if (c === 'c') {
          if (!/^\d+$/.test(v)) throw fail(2, `arping: invalid argument: '${v}'`);
          o.count = Number(v);
        } else if (c === 'w' || c === 'i') {
          if (!/^\d+(\.\d+)?$/.test(v)) throw fail(2, `arping: invalid argument: '${v}'`);
          // The lab's clock stops at 2^53 ns: a longer timer is refused rather than overflowing it.
          if (Number(v) > MAX_LAB_SECONDS) throw fail(2, `arping: -${c} ${v}: lvs-lab simulates at most ${MAX_LAB_SECONDS} s`);
          const t = Math.round(Number(v) * SECOND);
          if (c === 'w') o.timeout = t;
          else o.interval = t;
        } else if (c === 'I') o.iface = v;
        else o.source = v;
        break;
      }
      if (c === 'U') o.unsolicited = 'request';
      else if (c === 'A') o.unsolicited = 'reply';
      else if (c === 'b') o.broadcastOnly = true;
      else if (c === 'f') o.quitOnReply = true;
      else if (c === 'q') o.quiet = true;
      else if (c === 'D') throw fail(2, 'arping: duplicate address detection (-D) is not modelled by lvs-lab');
      else if (c === 'V') continue;
      else throw fail(2, `arping: invalid option -- '${c}'`, USAGE);
    }
  }
  if (dest === undefined) throw fail(2, USAGE);
  const addr = parseIpv4(dest);
  if (addr === undefined) throw fail(2, `arping: ${dest}: Name or service not known`);
  if (o.source !== undefined && parseIpv4(o.source) === undefined) throw fail(2, `arping: invalid source ${o.source}`);
  if (o.count === -1 && o.timeout === undefined) {
    throw fail(2, 'arping: lvs-lab needs -c COUNT or -w DEADLINE (without them arping runs until it is interrupted)');
  }
  o.dest = addr;
  return o;
}

export const arpingCommand: AdminCommand = defineCommand('arping', (args) => {
  const o = parseArping(args);
  return (host, done) => runArping(host, o, done);
});

/** An ARP-capable device for `-I`, or the one the route to DEST leaves by, or the only candidate. */
function chooseDevice(host: Host, o: ArpingOptions): Interface | string {
  if (o.iface !== undefined) {
    const d = host.iface(o.iface);
    if (!d) return `arping: Device ${o.iface} not available.\n`;
    if (!d.up) return `Interface "${d.name}" is down\n`;
    if (d.noArp) return `Interface "${d.name}" is not ARPable\n`;
    return d;
  }
  const r = routeOutput(host, o.dest);
  if (r.kind === 'ok' && r.outDev.kind === 'ether' && r.outDev.up) return r.outDev;
  const candidates = host.interfaces.filter((d) => d.kind === 'ether' && d.up);
  if (candidates.length === 1) return candidates[0];
  return `arping: Suitable device could not be determined. Please, use option -I.\n${USAGE}\n`;
}

function runArping(host: Host, o: ArpingOptions, done: (r: CommandResult) => void): void {
  const sim = host.ctx.sim;
  const dev = chooseDevice(host, o);
  if (typeof dev === 'string') return done({ exit: 2, output: dev });
  let src: Ipv4Address;
  const wanted = o.source !== undefined ? parseIpv4(o.source)! : o.unsolicited ? o.dest : undefined;
  if (wanted !== undefined) {
    if (!host.isLocalAddress(wanted)) return done({ exit: 2, output: 'arping: bind: Cannot assign requested address\n' });
    src = wanted;
  } else {
    // A UDP socket bound to the device is connected to DEST to learn the source address.
    const r = routeOutput(host, o.dest, { oif: dev.name });
    if (r.kind === 'error') return done({ exit: 2, output: 'arping: connect: Network is unreachable\n' });
    src = r.src;
  }

  let out = o.quiet ? '' : `ARPING ${formatIpv4(o.dest)} from ${formatIpv4(src)} ${dev.name}\n`;
  let sent = 0;
  let brdSent = 0;
  let received = 0;
  let brdRecv = 0;
  let reqRecv = 0;
  let unicastTo: MacAddress | undefined;
  let last: SimTime | undefined;
  let totalExpires = 1;
  let finished = false;
  let tick: EventHandle | undefined;
  let deadline: EventHandle | undefined;

  const finish = () => {
    if (finished) return;
    finished = true;
    sim.cancel(tick);
    sim.cancel(deadline);
    const i = host.arpTaps.indexOf(tap);
    if (i >= 0) host.arpTaps.splice(i, 1);
    if (!o.quiet) {
      out += `Sent ${sent} probes (${brdSent} broadcast(s))\n`;
      out += `Received ${received} response(s)`;
      if (brdRecv || reqRecv) {
        out += ' (';
        if (reqRecv) out += `${reqRecv} request(s)`;
        if (brdRecv) out += `${reqRecv ? ', ' : ''}${brdRecv} broadcast(s)`;
        out += ')';
      }
      out += '\n';
    }
    let exit: number;
    if (o.unsolicited) exit = 0;
    else if (o.timeout !== undefined && o.count > 0 && !o.quitOnReply) exit = o.count <= received ? 0 : 1;
    else exit = received ? 0 : 1;
    done({ exit, output: out });
  };

  const tap = (d: Interface, frame: Frame, arp: ArpPacket) => {
    if (finished || d !== dev) return;
    const pktHost = frame.eth.dst === dev.mac;
    if (!pktHost && frame.eth.dst !== MAC_BROADCAST) return;
    if (arp.op !== ArpOp.request && arp.op !== ArpOp.reply) return;
    // Not DAD: the answer must come from DEST, be about our source address, and be addressed to our MAC.
    if (arp.spa !== o.dest || arp.tpa !== src || arp.tha !== dev.mac) return;
    if (!o.quiet) {
      let line = `${pktHost ? 'Unicast' : 'Broadcast'} ${arp.op === ArpOp.reply ? 'reply' : 'request'} from ${formatIpv4(arp.spa)} [${arp.sha.toUpperCase()}] `;
      if (last !== undefined) {
        let usecs = Math.floor((sim.now() - last + 500) / 1000);
        const msecs = Math.floor((usecs + 500) / 1000);
        usecs -= msecs * 1000 - 500;
        line += ` ${msecs}.${String(usecs).padStart(3, '0')}ms`;
      } else {
        line += ' UNSOLICITED?';
      }
      out += line + '\n';
    }
    received++;
    if (o.timeout !== undefined && received === o.count) return finish();
    if (!pktHost) brdRecv++;
    if (arp.op === ArpOp.request) reqRecv++;
    if (o.quitOnReply || (o.count === 0 && received === sent)) return finish();
    if (!o.broadcastOnly) unicastTo = arp.sha;
  };

  const send = () => {
    if (o.unsolicited) {
      // iputils send_pack: -A (reply) puts our own MAC in the target hardware field, -U the broadcast address.
      if (o.unsolicited === 'reply') sendGratuitous(host, dev, src, ArpOp.reply);
      else sendGratuitous(host, dev, src, ArpOp.request, MAC_BROADCAST);
    } else {
      sendArpingRequest(host, dev, src, o.dest, unicastTo ?? MAC_BROADCAST);
    }
    last = sim.now();
    sent++;
    if (unicastTo === undefined) brdSent++;
  };

  const onTick = () => {
    tick = undefined;
    totalExpires++;
    if (o.count > 0 && o.count < totalExpires) return finish();
    send();
    afterSend();
  };

  const afterSend = () => {
    if (o.unsolicited && sent === o.count) return finish();
    tick = sim.schedule(o.interval, onTick);
  };

  host.arpTaps.push(tap);
  if (o.timeout !== undefined) deadline = sim.schedule(o.timeout, finish);
  send();
  afterSend();
}
