import type { Ipv4Address } from './Ipv4Address.ts';
import { finishChecksum, pseudoHeaderSum, sumWords } from './codec/checksum.ts';
import type { Payload } from './Payload.ts';

/**
 * VRRP advertisements: RFC 3768 §5 (version 2) and RFC 5798 §5 (version 3, IPv4). They travel as IP protocol
 * 112 to 224.0.0.18 with TTL 255. In flight the lab keeps them as the raw bytes of the IP payload (a `raw` L4),
 * so pcap export and the codec need nothing new; this file encodes and decodes those bytes.
 *
 * Version 2: `ver|type, VRID, priority, count, auth type, advert int (s), checksum, addresses…, 8 bytes auth`;
 * the checksum covers the VRRP message only. Version 3: `ver|type, VRID, priority, count, rsvd(4)|max advert int
 * (12 bits, centiseconds), checksum, addresses…`; the checksum also covers the IPv4 pseudo-header (§5.2.8).
 */
export const VRRP_PROTOCOL = 112;
/** 224.0.0.18, the VRRP multicast group (RFC 3768 §5.2.2). */
export const VRRP_GROUP: Ipv4Address = 0xe0000012;
/** RFC 3768 §5.2.2: adverts are sent with TTL 255 and receivers drop any other TTL. */
export const VRRP_TTL = 255;
/** The only message type (ADVERTISEMENT). */
export const VRRP_TYPE_ADVERT = 1;
/** v2 authentication types (RFC 3768 §5.3.6): 0 none, 1 simple text password (keepalived `PASS`). */
export const VrrpAuth = { none: 0, pass: 1 } as const;

export interface VrrpAdvert {
  readonly version: 2 | 3;
  readonly vrid: number;
  readonly priority: number;
  /**
   * The advertisement interval in the unit its version carries: whole seconds for v2 (8 bits), centiseconds for
   * v3 (12 bits).
   */
  readonly interval: number;
  readonly addresses: readonly Ipv4Address[];
  /** v2 only: authentication type and the (at most 8 byte) password. */
  readonly authType?: number;
  readonly authPass?: string;
}

/** Bytes of an advert with `n` addresses. */
export function vrrpLength(version: 2 | 3, n: number): number {
  return 8 + 4 * n + (version === 2 ? 8 : 0);
}

/** The advert as the bytes of an IP payload. `src`/`dst` are the IP addresses (v3's checksum covers them). */
export function encodeVrrp(a: VrrpAdvert, src: Ipv4Address, dst: Ipv4Address): Payload {
  const len = vrrpLength(a.version, a.addresses.length);
  const b = new Uint8Array(len);
  b[0] = (a.version << 4) | VRRP_TYPE_ADVERT;
  b[1] = a.vrid & 0xff;
  b[2] = a.priority & 0xff;
  b[3] = a.addresses.length & 0xff;
  if (a.version === 2) {
    b[4] = (a.authType ?? VrrpAuth.none) & 0xff;
    b[5] = a.interval & 0xff;
  } else {
    b[4] = (a.interval >> 8) & 0x0f;
    b[5] = a.interval & 0xff;
  }
  let o = 8;
  for (const addr of a.addresses) {
    b[o] = addr >>> 24;
    b[o + 1] = (addr >>> 16) & 0xff;
    b[o + 2] = (addr >>> 8) & 0xff;
    b[o + 3] = addr & 0xff;
    o += 4;
  }
  if (a.version === 2 && (a.authType ?? 0) === VrrpAuth.pass) {
    const pass = a.authPass ?? '';
    for (let i = 0; i < 8 && i < pass.length; i++) b[o + i] = pass.charCodeAt(i) & 0xff;
  }
  const sum = a.version === 3 ? pseudoHeaderSum(src, dst, VRRP_PROTOCOL, len) : 0;
  const ck = finishChecksum(sumWords(b, 0, len, sum));
  b[6] = ck >> 8;
  b[7] = ck & 0xff;
  return { length: len, bytes: b };
}

export type VrrpDecodeResult = { ok: true; advert: VrrpAdvert } | { ok: false; error: string };

/** Parses and validates the bytes of a VRRP message (version, type, length, checksum: RFC 3768 §7.1). */
export function decodeVrrp(p: Payload, src: Ipv4Address, dst: Ipv4Address): VrrpDecodeResult {
  const b = p.bytes;
  if (!b || b.length < 8) return { ok: false, error: 'too short' };
  const version = b[0] >> 4;
  if (version !== 2 && version !== 3) return { ok: false, error: `version ${version}` };
  if ((b[0] & 0x0f) !== VRRP_TYPE_ADVERT) return { ok: false, error: `type ${b[0] & 0x0f}` };
  const n = b[3];
  const len = vrrpLength(version, n);
  if (b.length < len) return { ok: false, error: 'length shorter than the address count says' };
  const sum = version === 3 ? pseudoHeaderSum(src, dst, VRRP_PROTOCOL, len) : 0;
  if (finishChecksum(sumWords(b, 0, len, sum)) !== 0) return { ok: false, error: 'bad checksum' };
  const addresses: Ipv4Address[] = [];
  for (let i = 0; i < n; i++) {
    const o = 8 + 4 * i;
    addresses.push(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0);
  }
  if (version === 2) {
    const authType = b[4];
    let authPass: string | undefined;
    if (authType === VrrpAuth.pass) {
      authPass = '';
      for (let i = 0; i < 8; i++) {
        const c = b[8 + 4 * n + i];
        if (c === 0) break;
        authPass += String.fromCharCode(c);
      }
    }
    return { ok: true, advert: { version: 2, vrid: b[1], priority: b[2], interval: b[5], addresses, authType, authPass } };
  }
  return { ok: true, advert: { version: 3, vrid: b[1], priority: b[2], interval: ((b[4] & 0x0f) << 8) | b[5], addresses } };
}
