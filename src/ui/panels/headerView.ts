import type { PacketSummary } from '../../trace/index.ts';

/**
 * The header fields of a trace packet summary as the inspector lists them: layers outermost first, each field
 * with the path hopDiff uses for it (`eth.dst`, `ip.ttl`, `inner.tcp.dport`), so a change found by the diff
 * lands on exactly one row. Field names follow the inspector lists of src/wire/format.ts (which need the
 * frame's bytes; the trace carries summaries, so the derived fields — checksums, padding — are not here).
 */

export interface FieldRow {
  /** hopDiff's path of this field. */
  readonly path: string;
  readonly label: string;
  readonly value: string;
}

export interface LayerView {
  /** hopDiff's path of the whole header (`eth`, `ip`, `inner.ip`, `tcp`). */
  readonly path: string;
  readonly title: string;
  readonly fields: readonly FieldRow[];
}

type Fields<T> = ReadonlyArray<readonly [keyof T & string, string]>;
type Summary = NonNullable<PacketSummary>;
type IpLayers = Omit<PacketSummary, 'pid' | 'parent' | 'eth' | 'arp'>;

// Wire order (Ethernet starts with the destination), names as format.ts's headerFields.
const ETH: Fields<NonNullable<Summary['eth']>> = [
  ['dst', 'Destination'],
  ['src', 'Source'],
  ['type', 'Type'],
];
const ARP: Fields<NonNullable<Summary['arp']>> = [
  ['op', 'Opcode'],
  ['sha', 'Sender MAC'],
  ['spa', 'Sender IP'],
  ['tha', 'Target MAC'],
  ['tpa', 'Target IP'],
];
const IP: Fields<NonNullable<Summary['ip']>> = [
  ['len', 'Total length'],
  ['id', 'Identification'],
  ['ttl', 'TTL'],
  ['proto', 'Protocol'],
  ['src', 'Source'],
  ['dst', 'Destination'],
];
const TCP: Fields<NonNullable<Summary['tcp']>> = [
  ['sport', 'Source port'],
  ['dport', 'Destination port'],
  ['seq', 'Sequence number'],
  ['ack', 'Acknowledgment number'],
  ['flags', 'Flags'],
  ['len', 'Payload length'],
];
const UDP: Fields<NonNullable<Summary['udp']>> = [
  ['sport', 'Source port'],
  ['dport', 'Destination port'],
  ['len', 'Payload length'],
];
const ICMP: Fields<NonNullable<Summary['icmp']>> = [
  ['type', 'Type'],
  ['code', 'Code'],
  ['id', 'Identifier'],
  ['seq', 'Sequence'],
  ['mtu', 'Next-hop MTU'],
  ['gateway', 'Gateway'],
];
const VRRP: Fields<NonNullable<Summary['vrrp']>> = [
  ['v', 'Version'],
  ['vrid', 'Virtual router ID'],
  ['prio', 'Priority'],
  ['int', 'Advertisement interval'],
  ['addrs', 'Addresses'],
];

function rows<T extends object>(prefix: string, header: T, spec: Fields<T>): FieldRow[] {
  const out: FieldRow[] = [];
  for (const [key, label] of spec) {
    const v = (header as Record<string, unknown>)[key];
    if (v === undefined) continue;
    out.push({ path: `${prefix}.${key}`, label, value: String(v) });
  }
  return out;
}

/** The layers of a packet summary, outermost first. */
export function headerLayers(p: PacketSummary): LayerView[] {
  const out: LayerView[] = [];
  if (p.eth !== undefined) out.push({ path: 'eth', title: 'Ethernet II', fields: rows('eth', p.eth, ETH) });
  if (p.arp !== undefined) out.push({ path: 'arp', title: 'ARP', fields: rows('arp', p.arp, ARP) });
  ipLayers(out, '', p, 'IPv4');
  return out;
}

function ipLayers(out: LayerView[], prefix: string, p: IpLayers, ipTitle: string): void {
  if (p.ip !== undefined) out.push({ path: `${prefix}ip`, title: ipTitle, fields: rows(`${prefix}ip`, p.ip, IP) });
  if (p.tcp !== undefined) out.push({ path: `${prefix}tcp`, title: 'TCP', fields: rows(`${prefix}tcp`, p.tcp, TCP) });
  if (p.udp !== undefined) out.push({ path: `${prefix}udp`, title: 'UDP', fields: rows(`${prefix}udp`, p.udp, UDP) });
  if (p.icmp !== undefined) out.push({ path: `${prefix}icmp`, title: 'ICMP', fields: rows(`${prefix}icmp`, p.icmp, ICMP) });
  if (p.vrrp !== undefined) out.push({ path: `${prefix}vrrp`, title: 'VRRP', fields: rows(`${prefix}vrrp`, p.vrrp, VRRP) });
  if (p.inner !== undefined) {
    // IP-in-IP carries a whole packet; an ICMP error quotes the head of the one it is about.
    const tunnel = p.ip?.proto === 'ipip';
    ipLayers(out, `${prefix}inner.`, p.inner, tunnel ? 'IPv4 (inner)' : 'Quoted IPv4');
  }
}
