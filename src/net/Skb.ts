import type { Ipv4Packet } from '../wire/index.ts';
import type { Interface } from './Interface.ts';

/**
 * Per-packet metadata that travels with a packet through one host's stack (the part of struct sk_buff the model
 * needs). The packet itself is immutable; a step that rewrites it stores the new packet here.
 */
export interface Skb {
  packet: Ipv4Packet;
  /** netfilter mark (fwmark), set by `iptables -t mangle ... -j MARK`, read by policy rules and IPVS -f services. */
  mark: number;
  /** Receiving device, or undefined for a locally generated packet. */
  inDev?: Interface;
  /** How the frame was addressed at L2 (PACKET_HOST, PACKET_BROADCAST, ...). */
  pktType: 'host' | 'broadcast' | 'multicast' | 'local';
  /** Set by ip_route_input when a redirect should be sent (RTCF_DOREDIRECT). */
  doRedirect?: boolean;
  /** Connection-tracking entry for the iptables nat subset. */
  ct?: unknown;
  /** Packets IPVS has already handled (skb->ipvs_property) are not looked at again by its hooks. */
  ipvsProperty?: boolean;
}
