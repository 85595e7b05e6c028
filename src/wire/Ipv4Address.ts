/**
 * IPv4 addresses are unsigned 32-bit integers in a `number` (0..2^32-1): cheap to compare, mask and hash in
 * longest-prefix lookups. Text form is the dotted quad, and only at the edges (parsing, output, trace).
 */
export type Ipv4Address = number;

export const IPV4_ANY: Ipv4Address = 0;
export const IPV4_BROADCAST: Ipv4Address = 0xffffffff;

/** Parses a dotted quad strictly (four decimal octets 0..255, no leading `+`, no spaces); undefined if not one. */
export function parseIpv4(text: string): Ipv4Address | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function formatIpv4(a: Ipv4Address): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Network mask of a prefix length (0..32) as an unsigned integer. */
export function prefixMask(len: number): number {
  if (len <= 0) return 0;
  if (len >= 32) return 0xffffffff;
  return (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous mask, or undefined when the mask has holes. */
export function maskToPrefix(mask: number): number | undefined {
  let len = 0;
  let m = mask >>> 0;
  while (len < 32 && (m & 0x80000000) !== 0) {
    len++;
    m = (m << 1) >>> 0;
  }
  return m === 0 ? len : undefined;
}

export function inSubnet(addr: Ipv4Address, network: Ipv4Address, len: number): boolean {
  const m = prefixMask(len);
  return ((addr & m) >>> 0) === ((network & m) >>> 0);
}

export function networkOf(addr: Ipv4Address, len: number): Ipv4Address {
  return (addr & prefixMask(len)) >>> 0;
}

export function broadcastOf(addr: Ipv4Address, len: number): Ipv4Address {
  return (networkOf(addr, len) | (~prefixMask(len) >>> 0)) >>> 0;
}

export function isMulticast(a: Ipv4Address): boolean {
  return a >>> 28 === 0xe;
}

export function isLoopback(a: Ipv4Address): boolean {
  return a >>> 24 === 127;
}

export function isZeroNet(a: Ipv4Address): boolean {
  return a >>> 24 === 0;
}
