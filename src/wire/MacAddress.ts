/** MAC addresses are lower-case `aa:bb:cc:dd:ee:ff` strings: the trace's form, compared as strings. */
export type MacAddress = string;

export const MAC_BROADCAST: MacAddress = 'ff:ff:ff:ff:ff:ff';
export const MAC_ZERO: MacAddress = '00:00:00:00:00:00';

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function parseMac(text: string): MacAddress | undefined {
  return MAC_RE.test(text) ? text.toLowerCase() : undefined;
}

/** The group bit: the low bit of the first octet, i.e. of its second hex digit (`01:...`, `ff:...`). */
export function isMulticastMac(m: MacAddress): boolean {
  const c = m.charCodeAt(1);
  // '0'-'9' are 48-57 and 'a'-'f' 97-102 ('A'-'F' 65-70): the digit's value is odd exactly when its code is
  // odd for digits and even for letters.
  return c <= 57 ? (c & 1) === 1 : (c & 1) === 0;
}

export function macToBytes(m: MacAddress): number[] {
  return m.split(':').map((h) => parseInt(h, 16));
}

export function macFromBytes(b: ArrayLike<number>, off = 0): MacAddress {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[off + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** ip_eth_mc_map (include/net/ip.h): 01:00:5e followed by the low 23 bits of an IPv4 multicast group. */
export function ipv4MulticastMac(group: number): MacAddress {
  const b = [0x01, 0x00, 0x5e, (group >>> 16) & 0x7f, (group >>> 8) & 0xff, group & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
