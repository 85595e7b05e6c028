import { formatIpv4, networkOf, parseIpv4, prefixMask, type Ipv4Address } from './Ipv4Address.ts';

/** An address with a prefix length, as `ip addr add 192.168.1.1/24` writes it. */
export interface Ipv4Cidr {
  readonly address: Ipv4Address;
  readonly prefixLen: number;
}

/**
 * Parses `A.B.C.D[/N]`; without `/N` the prefix is `defaultLen`. iproute2 also accepts abbreviated prefixes
 * such as `0/0` and `10/8` (missing octets are zero), which seeds use (`ip route add local 0/0 dev lo`).
 */
export function parseCidr(text: string, defaultLen = 32): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  let len = defaultLen;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(lenText)) return undefined;
    len = Number(lenText);
    if (len > 32) return undefined;
  }
  const address = parseAbbreviatedIpv4(addrText, slash >= 0);
  if (address === undefined) return undefined;
  return { address, prefixLen: len };
}

/** A dotted quad, or with `allowShort` 1–3 octets padded with zeros on the right (iproute2's `10/8`). */
export function parseAbbreviatedIpv4(text: string, allowShort: boolean): Ipv4Address | undefined {
  const full = parseIpv4(text);
  if (full !== undefined || !allowShort) return full;
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 3) return undefined;
  while (parts.length < 4) parts.push('0');
  return parseIpv4(parts.join('.'));
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.address)}/${c.prefixLen}`;
}

export function cidrNetwork(c: Ipv4Cidr): Ipv4Address {
  return networkOf(c.address, c.prefixLen);
}

export function cidrMask(c: Ipv4Cidr): number {
  return prefixMask(c.prefixLen);
}
