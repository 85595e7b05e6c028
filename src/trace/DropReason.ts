/**
 * Why a frame or packet was discarded: one closed set, so every drop in every trace can be counted by reason.
 * The first group is the external contract (docs/scenario-format.md); later ones extend it.
 */
export const DROP_REASONS = [
  'no-route', // no route to the destination (or an unreachable/prohibit/blackhole route)
  'arp-failed', // neighbour resolution failed (entry went FAILED with the packet queued)
  'arp-queue-overflow', // the unresolved queue was full: the oldest packet made room
  'rp-filter', // reverse-path filter rejected the source
  'ttl-exceeded', // TTL reached zero on forwarding
  'link-queue-full', // the cable's drop-tail queue was full
  'link-down', // the interface or the cable is down
  'no-listener', // no socket for the destination port (TCP answers RST, UDP ICMP port unreachable)
  'ipvs-no-destination', // IPVS found no available real server
  'ipvs-overloaded', // every destination is over its upper threshold
  'ipvs-dest-unavailable', // a packet of a connection whose real server was deleted (expire_nodest_conn=0)
  'firewall', // an iptables rule (DROP/REJECT) or policy
  'martian', // martian source or destination (RFC 1812 §5.3.7; Linux ip_route_input_slow)
  'tunnel-rejected', // IPIP packet with no matching tunnel device up
  'cpu-backlog', // the host's packet-processing backlog was full
  'not-for-us', // a frame addressed to another MAC, seen because the switch flooded it
  'not-forwarding', // a packet for another host arrived at a host that does not forward
  'frag-needed', // DF set and larger than the next hop's MTU: ICMP fragmentation needed sent
  'arp-ignored', // an ARP request for one of our addresses that arp_ignore/arp_filter told us not to answer
  'arp-invalid', // an ARP frame the kernel discards (bad target, gratuitous drop, local sender)
  'host-down', // the host is crashed or powered off
  'no-socket-buffer', // a socket or application could not take the data
  'protocol-unreachable', // no handler for the IP protocol
  'tcp-invalid', // a TCP segment outside the window or for no connection state that accepts it
  'icmp-ignored', // an ICMP message a host does not act on (e.g. a redirect with accept_redirects off)
  'unsupported', // a frame type or protocol the lab does not model
  'vrrp-invalid', // a VRRP advert an instance discards (TTL not 255, unknown VRID, auth or interval mismatch: RFC 3768 §7.1)
  'link-loss', // lost on a cable with a timeline `loss:` probability (a seeded random draw per frame)
  'neigh-table-full', // a neighbour entry was needed and the table was full (neigh_alloc: "neighbor table overflow!")
  'ipvs-app-failed', // an IPVS application helper could not handle the packet (ip_vs_ftp: a reply to rewrite with no conntrack entry)
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export function isDropReason(s: string): s is DropReason {
  return (DROP_REASONS as readonly string[]).includes(s);
}
