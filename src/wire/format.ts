import { decodeVrrp, VRRP_PROTOCOL } from './Vrrp.ts';
import { EtherType, ETHERNET_HEADER_LEN } from './Ethernet.ts';
import { ArpOp } from './Arp.ts';
import { IcmpType, isIcmpError, type IcmpError, type IcmpMessage } from './Icmp.ts';
import { formatIpv4 } from './Ipv4Address.ts';
import { IPV4_HEADER_LEN } from './Ipv4.ts';
import { MAC_ZERO } from './MacAddress.ts';
import { icmpQuoteLength, ipTotalLength, l4Length, protocolNumber, type ArpBody, type Frame, type Ipv4Packet } from './Packet.ts';
import type { Payload } from './Payload.ts';
import { flagLetters, TcpFlag, tcpHeaderLength, type FlagLetters, type TcpSegment } from './Tcp.ts';
import { get16 } from './codec/bytes.ts';
import { emitFrame } from './codec/frame.ts';

/**
 * Human-readable views of a frame: a tcpdump-style one-liner (tcpdump -n -S: numeric addresses, absolute
 * sequence numbers; print-ip.c, print-tcp.c, print-udp.c, print-icmp.c, print-arp.c) and the layered field
 * list the packet inspector shows.
 *
 * ARP lines always start with the MAC addresses (ARP is about them); IPv4 lines start with `IP` as tcpdump
 * prints them, and with `{ link: true }` also with the MACs (tcpdump -e), which is what shows a DR rewrite.
 */

export interface FormatOptions {
  /** Prefix IPv4 lines with `src-mac > dst-mac, `. */
  readonly link?: boolean;
}

export function formatFrame(frame: Frame, options: FormatOptions = {}): string {
  const macs = `${frame.eth.src} > ${frame.eth.dst}`;
  const body = frame.body;
  switch (body.kind) {
    case 'arp':
      return `${macs}, ARP, ${arpText(body)}`;
    case 'ipv4':
      return options.link ? `${macs}, ${formatPacket(body)}` : formatPacket(body);
    case 'raw':
      return `${macs}, ethertype 0x${hex(frame.eth.etherType, 4)}, length ${body.payload.length}`;
  }
}

function arpText(b: ArpBody): string {
  const a = b.arp;
  if (a.op === ArpOp.request) {
    const tha = a.tha !== MAC_ZERO ? ` (${a.tha})` : '';
    return `Request who-has ${formatIpv4(a.tpa)}${tha} tell ${formatIpv4(a.spa)}`;
  }
  if (a.op === ArpOp.reply) return `Reply ${formatIpv4(a.spa)} is-at ${a.sha}`;
  return `opcode ${a.op}, ${formatIpv4(a.spa)} (${a.sha}) > ${formatIpv4(a.tpa)} (${a.tha})`;
}

/** One IPv4 packet, tcpdump style: `IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, ...`. */
export function formatPacket(p: Ipv4Packet): string {
  const src = formatIpv4(p.ip.src);
  const dst = formatIpv4(p.ip.dst);
  const l4 = p.l4;
  if (p.ip.mf || p.ip.fragOffset !== 0) {
    const len = l4Length(l4);
    const frag = `(frag ${p.ip.ident}:${len}@${p.ip.fragOffset * 8}${p.ip.mf ? '+' : ''})`;
    return `IP ${src} > ${dst}: ip-proto-${protocolNumber(l4, p.ip)} ${len} ${frag}`;
  }
  switch (l4.proto) {
    case 'tcp':
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: ${tcpText(l4)}`;
    case 'udp':
      return `IP ${src}.${l4.sport} > ${dst}.${l4.dport}: UDP, length ${l4.payload.length}`;
    case 'icmp':
      return `IP ${src} > ${dst}: ICMP ${icmpText(l4)}, length ${l4Length(l4)}`;
    case 'ipip':
      return `IP ${src} > ${dst}: ${formatPacket(l4.inner)}`;
    case 'raw': {
      if (p.ip.protocol === VRRP_PROTOCOL) {
        // print-vrrp.c: `VRRPv2, Advertisement, vrid 51, prio 150, authtype simple, intvl 1s, length 20`.
        const d = decodeVrrp(l4.payload, p.ip.src, p.ip.dst);
        if (d.ok) {
          const a = d.advert;
          const auth = a.version === 2 ? `, authtype ${a.authType === 0 ? 'none' : a.authType === 1 ? 'simple' : a.authType}` : '';
          const intvl = a.version === 2 ? `${a.interval}s` : `${a.interval}cs`;
          return `IP ${src} > ${dst}: VRRPv${a.version}, Advertisement, vrid ${a.vrid}, prio ${a.priority}${auth}, intvl ${intvl}, length ${l4.payload.length}`;
        }
      }
      return `IP ${src} > ${dst}: ip-proto-${p.ip.protocol} ${l4.payload.length}`;
    }
  }
}

/** tcpdump's order (print-tcp.c tcp_flag_values): F S R P . U E W, where `.` is ACK. */
const TCPDUMP_FLAG_LETTERS: FlagLetters = [
  [TcpFlag.FIN, 'F'],
  [TcpFlag.SYN, 'S'],
  [TcpFlag.RST, 'R'],
  [TcpFlag.PSH, 'P'],
  [TcpFlag.ACK, '.'],
  [TcpFlag.URG, 'U'],
  [TcpFlag.ECE, 'E'],
  [TcpFlag.CWR, 'W'],
];

/** tcpdump's flag letters, in its order, or `none`. */
export function tcpdumpFlags(flags: number): string {
  return flagLetters(flags, TCPDUMP_FLAG_LETTERS) || 'none';
}

function tcpText(s: TcpSegment): string {
  const len = s.payload.length;
  let t = `Flags [${tcpdumpFlags(s.flags)}]`;
  if (len > 0 || (s.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) !== 0) {
    t += `, seq ${s.seq >>> 0}`;
    if (len > 0) t += `:${(s.seq + len) >>> 0}`;
  }
  if (s.flags & TcpFlag.ACK) t += `, ack ${s.ack >>> 0}`;
  t += `, win ${s.window}`;
  if (s.mss !== undefined) t += `, options [mss ${s.mss}]`;
  return `${t}, length ${len}`;
}

const UNREACH_TEXT: Record<number, (dst: string) => string> = {
  0: (d) => `net ${d} unreachable`,
  1: (d) => `host ${d} unreachable`,
  5: (d) => `${d} unreachable - source route failed`,
  6: (d) => `net ${d} unreachable - unknown`,
  7: (d) => `host ${d} unreachable - unknown`,
  9: (d) => `net ${d} unreachable - admin prohibited`,
  10: (d) => `host ${d} unreachable - admin prohibited`,
  13: (d) => `host ${d} unreachable - admin prohibited filter`,
};

function icmpText(m: IcmpMessage): string {
  if ('ident' in m) return `echo ${m.type === IcmpType.echoRequest ? 'request' : 'reply'}, id ${m.ident}, seq ${m.sequence}`;
  if (isIcmpError(m)) return icmpErrorText(m);
  if (m.type === IcmpType.echoRequest || m.type === IcmpType.echoReply) {
    return `echo ${m.type === IcmpType.echoRequest ? 'request' : 'reply'}, id ${m.rest >>> 16}, seq ${m.rest & 0xffff}`;
  }
  return `type-#${m.type}`;
}

function icmpErrorText(m: IcmpError): string {
  const o = m.original;
  const dst = formatIpv4(o.ip.dst);
  switch (m.type) {
    case IcmpType.destUnreachable: {
      if (m.code === 2) return `${dst} protocol ${protocolNumber(o.l4, o.ip)} unreachable`;
      if (m.code === 3) {
        const port = quotedDstPort(o);
        const proto = protocolNumber(o.l4, o.ip);
        if (proto === 6) return `${dst} tcp port ${port} unreachable`;
        if (proto === 17) return `${dst} udp port ${port} unreachable`;
        return `${dst} protocol ${proto} port ${port} unreachable`;
      }
      if (m.code === 4) return m.mtu ? `${dst} unreachable - need to frag (mtu ${m.mtu})` : `${dst} unreachable - need to frag`;
      const text = UNREACH_TEXT[m.code];
      return text ? text(dst) : `${dst} unreachable - #${m.code}`;
    }
    case IcmpType.redirect: {
      const gw = formatIpv4(m.gateway);
      if (m.code === 0) return `redirect ${dst} to net ${gw}`;
      if (m.code === 1) return `redirect ${dst} to host ${gw}`;
      return `redirect-#${m.code} ${dst} to ${gw}`;
    }
    case IcmpType.timeExceeded:
      if (m.code === 0) return 'time exceeded in-transit';
      if (m.code === 1) return 'ip reassembly time exceeded';
      return `time exceeded-#${m.code}`;
  }
}

/** The destination port as tcpdump reads it: bytes 2–3 of the quoted transport header. */
function quotedDstPort(o: Ipv4Packet): number {
  const l4 = o.l4;
  if (l4.proto === 'tcp' || l4.proto === 'udp') return l4.dport;
  if (l4.proto === 'raw' && l4.payload.bytes && l4.payload.bytes.length >= 4) return get16(l4.payload.bytes, 2);
  return 0;
}

// ---------------------------------------------------------------------------------------------------------
// Inspector field lists

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

/** One protocol header (or the data) and its fields, outermost first. */
export interface HeaderLayer {
  readonly title: string;
  readonly fields: readonly HeaderField[];
}

const ETHERTYPE_NAMES: Record<number, string> = { [EtherType.ipv4]: 'IPv4', [EtherType.arp]: 'ARP' };
const PROTO_NAMES: Record<number, string> = { 1: 'ICMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 112: 'VRRP' };
const ICMP_TYPE_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
};

/**
 * The frame's headers as (name, value) lists, outermost first, with the derived fields a capture shows
 * (lengths, checksums, padding) taken from the emitted bytes. An ICMP error adds its quoted IPv4 header and
 * the quoted first 8 bytes; IP-in-IP adds the inner packet's layers; a non-empty payload ends in a Data layer.
 */
export function headerFields(frame: Frame): HeaderLayer[] {
  const bytes = emitFrame(frame);
  const layers: HeaderLayer[] = [];
  const body = frame.body;
  const type = frame.eth.etherType;
  const bodyLen = body.kind === 'ipv4' ? ipTotalLength(body) : body.kind === 'arp' ? 28 : body.payload.length;
  const eth: HeaderField[] = [
    f('Destination', frame.eth.dst),
    f('Source', frame.eth.src),
    f('Type', ETHERTYPE_NAMES[type] ? `${ETHERTYPE_NAMES[type]} (0x${hex(type, 4)})` : `0x${hex(type, 4)}`),
    f('Frame length', `${bytes.length} bytes`),
  ];
  const padding = bytes.length - ETHERNET_HEADER_LEN - bodyLen;
  if (padding > 0) eth.push(f('Padding', `${padding} bytes`));
  layers.push({ title: 'Ethernet II', fields: eth });
  switch (body.kind) {
    case 'arp': {
      const a = body.arp;
      const op = a.op === ArpOp.request ? 'request' : a.op === ArpOp.reply ? 'reply' : 'unknown';
      layers.push({
        title: 'ARP',
        fields: [
          f('Hardware type', 'Ethernet (1)'),
          f('Protocol type', 'IPv4 (0x0800)'),
          f('Hardware size', '6'),
          f('Protocol size', '4'),
          f('Opcode', `${op} (${a.op})`),
          f('Sender MAC', a.sha),
          f('Sender IP', formatIpv4(a.spa)),
          f('Target MAC', a.tha),
          f('Target IP', formatIpv4(a.tpa)),
        ],
      });
      break;
    }
    case 'ipv4':
      packetLayers(layers, body, bytes, ETHERNET_HEADER_LEN, 'IPv4');
      break;
    case 'raw':
      dataLayer(layers, body.payload);
      break;
  }
  return layers;
}

function packetLayers(layers: HeaderLayer[], p: Ipv4Packet, bytes: Uint8Array, off: number, title: string): void {
  layers.push({ title, fields: ipFields(p, bytes, off, ipTotalLength(p)) });
  const l4off = off + IPV4_HEADER_LEN;
  const l4 = p.l4;
  if (p.ip.mf || p.ip.fragOffset !== 0) {
    layers.push({ title: 'Fragment data', fields: [f('Length', `${l4Length(l4)} bytes`)] });
    return;
  }
  switch (l4.proto) {
    case 'tcp':
      layers.push({ title: 'TCP', fields: tcpFields(l4, bytes, l4off) });
      dataLayer(layers, l4.payload);
      break;
    case 'udp':
      layers.push({
        title: 'UDP',
        fields: [
          f('Source port', String(l4.sport)),
          f('Destination port', String(l4.dport)),
          f('Length', String(8 + l4.payload.length)),
          f('Checksum', `0x${hex(get16(bytes, l4off + 6), 4)}`),
        ],
      });
      dataLayer(layers, l4.payload);
      break;
    case 'icmp':
      icmpLayers(layers, l4, bytes, l4off);
      break;
    case 'ipip':
      packetLayers(layers, l4.inner, bytes, l4off, 'IPv4 (inner)');
      break;
    case 'raw':
      dataLayer(layers, l4.payload);
      break;
  }
}

function ipFields(p: Ipv4Packet, bytes: Uint8Array, off: number, totalLength: number): HeaderField[] {
  const h = p.ip;
  const flags = [h.df ? 'DF' : '', h.mf ? 'MF' : ''].filter((x) => x !== '').join(', ') || 'none';
  const proto = protocolNumber(p.l4, h);
  return [
    f('Version', '4'),
    f('Header length', '20 bytes'),
    f('TOS', `0x${hex(h.tos, 2)}`),
    f('Total length', String(totalLength)),
    f('Identification', `0x${hex(h.ident, 4)} (${h.ident})`),
    f('Flags', flags),
    f('Fragment offset', `${h.fragOffset * 8} bytes`),
    f('TTL', String(h.ttl)),
    f('Protocol', PROTO_NAMES[proto] ? `${PROTO_NAMES[proto]} (${proto})` : String(proto)),
    f('Header checksum', `0x${hex(get16(bytes, off + 10), 4)}`),
    f('Source', formatIpv4(h.src)),
    f('Destination', formatIpv4(h.dst)),
  ];
}

function tcpFields(s: TcpSegment, bytes: Uint8Array, off: number): HeaderField[] {
  const fields = [
    f('Source port', String(s.sport)),
    f('Destination port', String(s.dport)),
    f('Sequence number', String(s.seq >>> 0)),
    f('Acknowledgment number', String(s.ack >>> 0)),
    f('Header length', `${tcpHeaderLength(s)} bytes`),
    f('Flags', `0x${hex(s.flags, 3)} [${tcpdumpFlags(s.flags)}]`),
    f('Window', String(s.window)),
    f('Checksum', `0x${hex(get16(bytes, off + 16), 4)}`),
    f('Urgent pointer', '0'),
  ];
  if (s.mss !== undefined) fields.push(f('Options', `mss ${s.mss}`));
  return fields;
}

function icmpLayers(layers: HeaderLayer[], m: IcmpMessage, bytes: Uint8Array, off: number): void {
  const name = ICMP_TYPE_NAMES[m.type];
  const fields = [
    f('Type', name ? `${m.type} (${name})` : String(m.type)),
    f('Code', String(m.code)),
    f('Checksum', `0x${hex(get16(bytes, off + 2), 4)}`),
  ];
  if ('ident' in m) {
    fields.push(f('Identifier', String(m.ident)), f('Sequence', String(m.sequence)));
    layers.push({ title: 'ICMP', fields });
    dataLayer(layers, m.payload);
  } else if (isIcmpError(m)) {
    if (m.type === IcmpType.destUnreachable) fields.push(f('Next-hop MTU', String(m.mtu)));
    if (m.type === IcmpType.redirect) fields.push(f('Gateway', formatIpv4(m.gateway)));
    layers.push({ title: 'ICMP', fields });
    quotedLayers(layers, m.original, bytes, off + 8);
  } else {
    fields.push(f('Rest of header', `0x${hex(m.rest >>> 0, 8)}`));
    layers.push({ title: 'ICMP', fields });
    dataLayer(layers, m.payload);
  }
}

/** The quoted header and the quoted 8 bytes, read from the emitted quote. */
function quotedLayers(layers: HeaderLayer[], o: Ipv4Packet, bytes: Uint8Array, off: number): void {
  layers.push({ title: 'Quoted IPv4', fields: ipFields(o, bytes, off, ipTotalLength(o)) });
  const q = off + IPV4_HEADER_LEN;
  const quoted = icmpQuoteLength(o) - IPV4_HEADER_LEN;
  if (quoted < 8 || o.ip.mf || o.ip.fragOffset !== 0) {
    layers.push({ title: 'Quoted data', fields: [f('Length', `${quoted} bytes`)] });
    return;
  }
  const proto = protocolNumber(o.l4, o.ip);
  const ports = [f('Source port', String(get16(bytes, q))), f('Destination port', String(get16(bytes, q + 2)))];
  if (proto === 6) {
    const seq = ((get16(bytes, q + 4) * 0x10000) + get16(bytes, q + 6)) >>> 0;
    layers.push({ title: 'Quoted TCP (first 8 bytes)', fields: [...ports, f('Sequence number', String(seq))] });
  } else if (proto === 17) {
    layers.push({
      title: 'Quoted UDP',
      fields: [...ports, f('Length', String(get16(bytes, q + 4))), f('Checksum', `0x${hex(get16(bytes, q + 6), 4)}`)],
    });
  } else if (proto === 1) {
    layers.push({
      title: 'Quoted ICMP (first 8 bytes)',
      fields: [
        f('Type', String(bytes[q])),
        f('Code', String(bytes[q + 1])),
        f('Checksum', `0x${hex(get16(bytes, q + 2), 4)}`),
        f('Rest of header', `0x${hex(get16(bytes, q + 4), 4)}${hex(get16(bytes, q + 6), 4)}`),
      ],
    });
  } else {
    layers.push({ title: 'Quoted data', fields: [f('Length', `${quoted} bytes`)] });
  }
}

function dataLayer(layers: HeaderLayer[], p: Payload): void {
  if (p.length === 0) return;
  const fields = [f('Length', `${p.length} bytes`)];
  if (p.bytes !== undefined) fields.push(f('Text', printable(p.bytes, Math.min(p.length, 64))));
  else fields.push(f('Content', 'zeros (length only)'));
  layers.push({ title: 'Data', fields });
}

/** Printable ASCII as is, CR/LF/TAB escaped, anything else as `.`; `…` when cut. */
function printable(b: Uint8Array, n: number): string {
  let s = '';
  const end = Math.min(n, b.length);
  for (let i = 0; i < end; i++) {
    const c = b[i];
    if (c === 0x0d) s += '\\r';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '.';
  }
  return end < b.length ? `${s}…` : s;
}

function f(name: string, value: string): HeaderField {
  return { name, value };
}

function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}
