import type { PacketSummary } from '../../trace/index.ts';
import type { PacketJourney } from './packetJourney.ts';

/**
 * What changed in a packet's headers from one hop to the next: the inspector highlights exactly these fields.
 * A DR director changes the Ethernet addresses (and, forwarding, the TTL); a NAT director the destination
 * address and port on the way in and the source on the way back; a TUN director puts a whole outer IP header
 * around the packet. Computed from the trace's packet summaries alone, so checksums (which the summary does not
 * carry) are not listed.
 */

/**
 * One change. `path` names the field in the packet where it is now (`eth.dst`, `ip.ttl`, `tcp.dport`,
 * `inner.ip.ttl` for the packet inside an IPIP tunnel), or for `removed`, where it was. A whole header that
 * appears or goes has the header's name as path (`ip` for the outer IP header of a tunnel, `tcp`, `inner`).
 */
export interface FieldChange {
  readonly path: string;
  readonly kind: 'changed' | 'added' | 'removed';
  readonly before?: string | number;
  readonly after?: string | number;
}

type Value = string | number | undefined;
type IpLayers = Omit<PacketSummary, 'pid' | 'parent' | 'eth' | 'arp'>;

const IP_FIELDS = ['src', 'dst', 'ttl', 'proto', 'id', 'len'] as const;
const L4_FIELDS = {
  tcp: ['sport', 'dport', 'flags', 'seq', 'ack', 'len'],
  udp: ['sport', 'dport', 'len'],
  icmp: ['type', 'code', 'id', 'seq', 'mtu', 'gateway'],
  vrrp: ['v', 'vrid', 'prio', 'int', 'addrs'],
} as const;

/** The changes from `before` to `after`, outermost header first, fields in header order. */
export function diffSummaries(before: PacketSummary, after: PacketSummary): FieldChange[] {
  const out: FieldChange[] = [];
  // A frame leaving the wire for the host's own stack (a delivery) has no Ethernet header in its summary:
  // that is not a change of the packet, so Ethernet is compared only between two frames.
  if (before.eth !== undefined && after.eth !== undefined) fields(out, 'eth', before.eth, after.eth, ['src', 'dst', 'type']);
  if (before.arp !== undefined || after.arp !== undefined) layer(out, 'arp', before.arp, after.arp, ['op', 'sha', 'spa', 'tha', 'tpa']);
  const bTunnel = isTunnel(before);
  const aTunnel = isTunnel(after);
  if (aTunnel && !bTunnel) {
    // Encapsulation: the old packet is now the inner one; the outer header is new.
    out.push({ path: 'ip', kind: 'added', after: ipText(after) });
    ipLayers(out, 'inner.', before, after.inner!);
  } else if (bTunnel && !aTunnel) {
    // Decapsulation: the outer header is gone; the inner packet is now the packet.
    out.push({ path: 'ip', kind: 'removed', before: ipText(before) });
    ipLayers(out, '', before.inner!, after);
  } else {
    ipLayers(out, '', before, after);
  }
  return out;
}

/** The changes at hop `index` of a journey, against the hop it follows from; empty where the packet starts. */
export function hopDiff(journey: PacketJourney, index: number): FieldChange[] {
  const hop = journey.hops[index];
  if (hop === undefined || hop.prev === undefined) return [];
  return diffSummaries(journey.hops[hop.prev].pkt, hop.pkt);
}

function isTunnel(p: IpLayers): boolean {
  return p.ip?.proto === 'ipip' && p.inner !== undefined;
}

function ipText(p: IpLayers): string {
  return p.ip !== undefined ? `${p.ip.src} > ${p.ip.dst}` : '';
}

/** IP header, transport header and (for ICMP errors and tunnels) the inner packet, under `prefix`. */
function ipLayers(out: FieldChange[], prefix: string, before: IpLayers, after: IpLayers): void {
  layer(out, `${prefix}ip`, before.ip, after.ip, IP_FIELDS);
  for (const name of ['tcp', 'udp', 'icmp', 'vrrp'] as const) layer(out, `${prefix}${name}`, before[name], after[name], L4_FIELDS[name]);
  const bi = before.inner;
  const ai = after.inner;
  if (bi !== undefined && ai !== undefined) ipLayers(out, `${prefix}inner.`, bi, ai);
  else if (ai !== undefined) out.push({ path: `${prefix}inner`, kind: 'added', after: ipText(ai) });
  else if (bi !== undefined) out.push({ path: `${prefix}inner`, kind: 'removed', before: ipText(bi) });
}

function layer<T extends object>(out: FieldChange[], path: string, before: T | undefined, after: T | undefined, names: readonly string[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) out.push({ path, kind: 'added' });
  else if (after === undefined) out.push({ path, kind: 'removed' });
  else fields(out, path, before, after, names);
}

function fields(out: FieldChange[], path: string, before: object, after: object, names: readonly string[]): void {
  const b = before as Record<string, Value>;
  const a = after as Record<string, Value>;
  for (const n of names) {
    const bv = b[n];
    const av = a[n];
    if (bv === av) continue;
    if (bv === undefined) out.push({ path: `${path}.${n}`, kind: 'added', after: av });
    else if (av === undefined) out.push({ path: `${path}.${n}`, kind: 'removed', before: bv });
    else out.push({ path: `${path}.${n}`, kind: 'changed', before: bv, after: av });
  }
}
