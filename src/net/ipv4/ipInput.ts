import { ipText, summarizePacket } from '../../trace/index.ts';
import { IcmpType, IcmpUnreachCode, ipTotalLength, ipv4Rewritten, type Ipv4Packet } from '../../wire/index.ts';
import type { Host } from '../Host.ts';
import { routeInput } from '../route/routeInput.ts';
import type { Skb } from '../Skb.ts';
import { icmpSend } from './icmpSend.ts';
import { ipLocalDeliver } from './ipLocalDeliver.ts';
import { neighOutput } from './ipOutput.ts';

/**
 * ip_rcv → PREROUTING → ip_rcv_finish (route input) → ip_local_deliver (INPUT) or ip_forward (FORWARD,
 * POSTROUTING). One function per kernel step, in the kernel's order. Reference: linux-arp-routing.md §6.3–6.5.
 */
export function ipRcv(host: Host, skb: Skb): void {
  const v = host.hooks.run('PREROUTING', skb, skb.inDev);
  if (v.kind === 'drop') return host.drop(skb, v.reason, skb.inDev, v.detail);
  if (v.kind === 'stolen') return;
  ipRcvFinish(host, skb);
}

function ipRcvFinish(host: Host, skb: Skb): void {
  const dev = skb.inDev!;
  const p = skb.packet;
  // A looped-back packet still carries the local route its output lookup attached (skb_dst): ip_rcv_finish
  // does no input lookup for it, so it is neither a martian nor source-validated (ping to our own address).
  if (dev.kind === 'loopback') return ipLocalDeliver(host, skb);
  const d = routeInput(host, p.ip.dst, p.ip.src, dev, skb.mark, p.ip.tos);
  const t = host.ctx.tracer;
  switch (d.kind) {
    case 'drop':
      if (d.icmp) icmpSend(host, p, d.icmp.type as 3, d.icmp.code, { inDev: dev });
      host.drop(skb, d.reason, dev, d.detail);
      return;
    case 'broadcast':
    case 'local':
      if (t.packets && d.kind === 'local') t.route(host.name, dev.name, summarizePacket(p), 'local', undefined, undefined, d.table);
      ipLocalDeliver(host, skb);
      return;
    case 'forward':
      if (t.packets) t.route(host.name, dev.name, summarizePacket(p), 'forward', ipText(d.nexthop), d.outDev.name, d.table);
      skb.doRedirect = d.doRedirect;
      ipForward(host, skb, d.outDev, d.nexthop);
      return;
  }
}

/** ip_forward (net/ipv4/ip_forward.c). */
function ipForward(host: Host, skb: Skb, outDev: import('../Interface.ts').Interface, nexthop: number): void {
  const p = skb.packet;
  if (skb.pktType !== 'host') return host.drop(skb, 'not-for-us', skb.inDev, 'forwarding needs a frame addressed to our MAC');
  if (p.ip.ttl <= 1) {
    icmpSend(host, p, IcmpType.timeExceeded, 0, { inDev: skb.inDev });
    return host.drop(skb, 'ttl-exceeded', skb.inDev);
  }
  if (p.ip.df && ipTotalLength(p) > outDev.mtu) {
    icmpSend(host, p, IcmpType.destUnreachable, IcmpUnreachCode.fragNeeded, { inDev: skb.inDev, mtu: outDev.mtu });
    return host.drop(skb, 'frag-needed', skb.inDev, `length ${ipTotalLength(p)} > mtu ${outDev.mtu} of ${outDev.name} with DF`);
  }
  // TTL decrement: the same packet (same id) one hop further.
  const fwd: Ipv4Packet = { kind: 'ipv4', id: p.id, parentId: p.parentId, ip: ipv4Rewritten(p.ip, p.ip.ttl - 1, p.ip.src, p.ip.dst), l4: p.l4 };
  skb.packet = fwd;
  if (skb.doRedirect) maybeRedirect(host, skb, p, nexthop);
  const v = host.hooks.run('FORWARD', skb, skb.inDev, outDev);
  if (v.kind === 'drop') return host.drop(skb, v.reason, skb.inDev, v.detail);
  if (v.kind === 'stolen') return;
  const v2 = host.hooks.run('POSTROUTING', skb, skb.inDev, outDev);
  if (v2.kind === 'drop') return host.drop(skb, v2.reason, outDev, v2.detail);
  if (v2.kind === 'stolen') return;
  neighOutput(host, outDev, nexthop, skb.packet, false);
}

/**
 * ip_rt_send_redirect (net/ipv4/route.c): per-source rate limiting — the first redirect at once, the k-th
 * further one only after 20 ms << k, at most 9, then silence until 20 ms << 10 pass without a need.
 */
function maybeRedirect(host: Host, skb: Skb, original: Ipv4Packet, gateway: number): void {
  const now = host.ctx.sim.now();
  const src = original.ip.src;
  const st = host.redirectState(src);
  const base = 20_000_000; // ip_rt_redirect_load = HZ/50
  if (now - st.last > base << 10) st.count = 0; // redirect_silence
  if (st.count >= 9) {
    st.last = now;
    return;
  }
  if (st.count === 0 || now >= st.last + (base << st.count)) {
    icmpSend(host, original, IcmpType.redirect, 1, { inDev: skb.inDev, gateway });
    st.last = now;
    st.count++;
  }
}
