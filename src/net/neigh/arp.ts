import { SECOND } from '../../sim/index.ts';
import { ArpOp, isLoopback, isMulticast, MAC_BROADCAST, MAC_ZERO, type ArpPacket, type Frame, type Ipv4Address, type Ipv4Packet, type MacAddress } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import type { Interface } from '../Interface.ts';
import { routeInput } from '../route/routeInput.ts';
import { routeOutput } from '../route/routeOutput.ts';
import { announceAddress, arpIgnore } from './arpPolicy.ts';
import type { Neighbour } from './NeighbourTable.ts';

/**
 * ARP input and output (net/ipv4/arp.c: arp_process, arp_solicit, arp_send). Reference:
 * shared/reference/linux-arp-routing.md §4–5 and linux-arp-observed.md (which wins where they differ).
 */
export function arpInput(host: Host, dev: Interface, frame: Frame, arp: ArpPacket): void {
  // Packet sockets (arping) get their copy first; a copy of the list, as a tap may remove itself.
  if (host.arpTaps.length > 0) for (const tap of host.arpTaps.slice()) tap(dev, frame, arp);
  const sys = host.sysctls;
  if (dev.noArp) return host.dropFrame(frame, 'arp-invalid', dev, 'ARP on a NOARP device');
  if (arp.op !== ArpOp.request && arp.op !== ArpOp.reply) return host.dropFrame(frame, 'arp-invalid', dev, `ARP opcode ${arp.op}`);
  const { sip, tip } = { sip: arp.spa, tip: arp.tpa };
  if (isMulticast(tip)) return host.dropFrame(frame, 'arp-invalid', dev, 'target is multicast');
  if (isLoopback(tip) && sys.confValue(dev.name, 'route_localnet') === 0) return host.dropFrame(frame, 'arp-invalid', dev, 'target is 127/8');
  if (sip === tip && sys.confValue(dev.name, 'drop_gratuitous_arp') === 1) return host.dropFrame(frame, 'arp-invalid', dev, 'drop_gratuitous_arp');

  if (sip === 0) {
    // RFC 5227 probe / DAD: answer for our address, learn nothing.
    if (arp.op === ArpOp.request && host.isLocalAddress(tip) && !arpIgnore(sys.confValue(dev.name, 'arp_ignore'), dev, host.interfaces, sip, tip)) {
      sendArp(host, dev, ArpOp.reply, arp.sha, tip, arp.sha, sip);
    }
    return;
  }

  if (arp.op === ArpOp.request) {
    const d = routeInput(host, tip, sip, dev, 0);
    if (d.kind === 'local') {
      let dont = arpIgnore(sys.confValue(dev.name, 'arp_ignore'), dev, host.interfaces, sip, tip);
      let why = 'arp_ignore';
      if (!dont && sys.confValue(dev.name, 'arp_filter') === 1) {
        dont = arpFilterRefuses(host, sip, tip, dev);
        why = 'arp_filter';
      }
      if (dont) return host.dropFrame(frame, 'arp-ignored', dev, `${why} (${sys.confValue(dev.name, why)}) on ${dev.name}: not answering for this address`);
      // neigh_event_ns: a request aimed at us creates or overwrites the sender's entry, ignoring locktime. Without
      // an entry (the table is full) arp_process sends no reply.
      const n = host.neigh.create(sip, dev);
      if (!n) return host.dropFrame(frame, 'neigh-table-full', dev, `neighbour table full: no entry for the sender, not answering`);
      host.neigh.update(n, arp.sha, 'STALE', { override: true });
      sendArp(host, dev, ArpOp.reply, arp.sha, tip, arp.sha, sip);
      return;
    }
    if (d.kind === 'drop' && d.reason === 'rp-filter' && host.isLocalAddress(tip)) {
      // linux-arp-observed rule 7: strict rp_filter also blocks ARP for our own address.
      return host.dropFrame(frame, 'rp-filter', dev, d.detail);
    }
    if (d.kind === 'forward' && d.outDev !== dev && sys.confValue(dev.name, 'proxy_arp') === 1) {
      // Proxy ARP answers even when the sender's entry could not be made (arp_process releases it only `if (n)`).
      const n = host.neigh.create(sip, dev);
      if (n) host.neigh.update(n, arp.sha, 'STALE', { override: true });
      const delayCs = sys.neighValue(dev.name, 'proxy_delay');
      const unicastToUs = frame.eth.dst === dev.mac;
      if (unicastToUs || delayCs === 0) {
        sendArp(host, dev, ArpOp.reply, arp.sha, tip, arp.sha, sip);
      } else {
        const delay = Math.floor(host.stream(`proxy-arp:${dev.name}`).next() * delayCs * 10_000_000);
        host.ctx.sim.schedule(delay, () => sendArp(host, dev, ArpOp.reply, arp.sha, tip, arp.sha, sip));
      }
      return;
    }
  }

  // Learning path: replies, requests for someone else, gratuitous frames.
  let n = host.neigh.lookup(sip, dev);
  const acceptLevel = sys.confValue(dev.name, 'arp_accept');
  const sipUnicast = !host.isLocalAddress(sip) && !isMulticast(sip);
  const isGarp = sip === tip && (arp.op === ArpOp.request || arp.tha === arp.sha) && sipUnicast;
  if (!n && acceptAllowsCreate(acceptLevel, dev, sip) && (isGarp || (arp.op === ArpOp.reply && sipUnicast))) {
    n = host.neigh.create(sip, dev);
  }
  if (!n) return;
  const now = host.ctx.sim.now();
  const locktime = sys.neighValue(dev.name, 'locktime') * 10_000_000; // centiseconds
  const override = now > n.updated + locktime || isGarp;
  const state = arp.op === ArpOp.reply && frame.eth.dst === dev.mac ? 'REACHABLE' : 'STALE';
  host.neigh.update(n, arp.sha, state, { override });
}

function acceptAllowsCreate(level: number, dev: Interface, sip: Ipv4Address): boolean {
  if (level === 1) return true;
  if (level === 2) return dev.addresses.some((a) => a.scope <= 253 && (sip & prefix(a.prefixLen)) >>> 0 === (a.address & prefix(a.prefixLen)) >>> 0);
  return false;
}

function prefix(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** arp_filter: answer only if the route back to the sender, from the target address, leaves by `dev`. */
function arpFilterRefuses(host: Host, sip: Ipv4Address, tip: Ipv4Address, dev: Interface): boolean {
  const r = routeOutput(host, sip, { src: tip });
  return r.kind !== 'ok' || r.outDev !== dev;
}

function sendArp(host: Host, dev: Interface, op: number, ethDst: MacAddress, spa: Ipv4Address, tha: MacAddress, tpa: Ipv4Address): void {
  host.transmitFrame(dev, ethDst, { kind: 'arp', id: host.ctx.packetId(), arp: { op, sha: dev.mac, spa, tha, tpa } });
}

/** arp_solicit: a request for `n.key`, broadcast or unicast to the cached MAC, with the sender chosen by arp_announce. */
export function sendArpRequest(host: Host, n: Neighbour, unicastTo: MacAddress | undefined, trigger: Ipv4Packet | undefined): void {
  const dev = n.dev;
  const level = host.sysctls.confValue(dev.name, 'arp_announce');
  const saddr = announceAddress(level, dev, host.interfaces, n.key, trigger?.ip.src, (a) => host.isLocalAddress(a));
  sendArp(host, dev, ArpOp.request, unicastTo ?? MAC_BROADCAST, saddr, MAC_ZERO, n.key);
}

/**
 * A gratuitous ARP (sip = tip = address), broadcast. The target hardware field is what the kernel's arp_notify
 * puts there unless `targetHw` says otherwise: zeros in a request (inetdev_send_gratuitous_arp passes no
 * target_hw, and arp_create zero-fills it), our own MAC in a reply (`arping -A`). `arping -U` passes the
 * broadcast address, as iputils does.
 */
export function sendGratuitous(host: Host, dev: Interface, address: Ipv4Address, op: number = ArpOp.request, targetHw?: MacAddress): void {
  sendArp(host, dev, op, MAC_BROADCAST, address, targetHw ?? (op === ArpOp.reply ? dev.mac : MAC_ZERO), address);
}

/**
 * A request as `arping` sends it (from user space, so no neighbour entry is involved). iputils' send_pack
 * fills the target hardware field with the address it sends to: the device's broadcast address at first,
 * the replier's MAC once it unicasts (without -b). So `tha` equals the Ethernet destination.
 */
export function sendArpingRequest(host: Host, dev: Interface, src: Ipv4Address, target: Ipv4Address, ethDst: MacAddress = MAC_BROADCAST): void {
  sendArp(host, dev, ArpOp.request, ethDst, src, ethDst, target);
}

export const ARP_LOCKTIME_DEFAULT = SECOND;
