/** MAC addresses are lower-case `aa:bb:cc:dd:ee:ff` strings: the trace's form, compared as strings. */
export type MacAddress = string;

export const MAC_BROADCAST: MacAddress = 'ff:ff:ff:ff:ff:ff';
export const MAC_ZERO: MacAddress = '00:00:00:00:00:00';

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function parseMac(text: string): MacAddress | undefined {
  return MAC_RE.test(text) ? text.toLowerCase() : undefined;
}

export function isMulticastMac(m: MacAddress): boolean {
  return (parseInt(m.slice(0, 2), 16) & 1) === 1;
}

export function macToBytes(m: MacAddress): number[] {
  return m.split(':').map((h) => parseInt(h, 16));
}

export function macFromBytes(b: ArrayLike<number>, off = 0): MacAddress {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[off + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}
