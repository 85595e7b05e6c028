import type { Ipv4Address } from '../../wire/Ipv4Address.ts';

/**
 * The hash primitives the hashing schedulers share: `hash_32` (include/linux/hash.h, generic version; x86 has
 * no arch override), the address fold of ip_vs_dh.c / ip_vs_sh.c / ip_vs_lblc.c / ip_vs_lblcr.c / ip_vs_mh.c,
 * and the 64-bit-kernel `hsiphash` that ip_vs_mh.c uses for its permutations (lib/siphash.c: on 64-bit
 * kernels hsiphash is SipHash-1-3 with 64-bit lanes, truncated to 32 bits).
 */

/** GOLDEN_RATIO_32. */
const GOLDEN_RATIO_32 = 0x61c88647;

/** hash_32(val, bits): the 32-bit product with the golden ratio, top `bits` bits kept (1 ≤ bits ≤ 32). */
export function hash32(val: number, bits: number): number {
  return Math.imul(val, GOLDEN_RATIO_32) >>> (32 - bits);
}

/**
 * The schedulers' `ntohl(addr_fold)`: for IPv4 the address itself as a host-order integer. (IPv6 would XOR its
 * four big-endian words; the lab is IPv4 only.)
 */
export function addrFold(addr: Ipv4Address): number {
  return addr >>> 0;
}

/** An hsiphash key: two 64-bit words, each given as high and low 32-bit halves. */
export interface HsipKey {
  readonly k0hi: number;
  readonly k0lo: number;
  readonly k1hi: number;
  readonly k1lo: number;
}

/** A key of two `unsigned long` words below 2^32 (how ip_vs_mh.c writes its fixed keys). */
export function hsipKey(k0: number, k1: number): HsipKey {
  return { k0hi: Math.floor(k0 / 2 ** 32) >>> 0, k0lo: k0 >>> 0, k1hi: Math.floor(k1 / 2 ** 32) >>> 0, k1lo: k1 >>> 0 };
}

/** A key from two 64-bit words given as bigints (test vectors use full 64-bit keys). */
export function hsipKey64(k0: bigint, k1: bigint): HsipKey {
  const m = 0xffffffffn;
  return { k0hi: Number((k0 >> 32n) & m), k0lo: Number(k0 & m), k1hi: Number((k1 >> 32n) & m), k1lo: Number(k1 & m) };
}

/**
 * hsiphash(&v, 4, key) on a 64-bit kernel: the four bytes of the host-order (little-endian) u32 `v` as the
 * whole message. The message fits the final block, so there is one compression round on
 * b = (4 << 56) | v, then the finalisation (v2 ^= 0xff, three rounds) and the low 32 bits of v0 ^ v1 ^ v2 ^ v3.
 * The 64-bit lanes are kept as 32-bit halves in locals (h = high, l = low), so a hash allocates nothing.
 */
export function hsiphash32(key: HsipKey, v: number): number {
  // "somepseudorandomlygeneratedbytes" lanes XORed with the key words
  let v0h = (0x736f6d65 ^ key.k0hi) >>> 0;
  let v0l = (0x70736575 ^ key.k0lo) >>> 0;
  let v1h = (0x646f7261 ^ key.k1hi) >>> 0;
  let v1l = (0x6e646f6d ^ key.k1lo) >>> 0;
  let v2h = (0x6c796765 ^ key.k0hi) >>> 0;
  let v2l = (0x6e657261 ^ key.k0lo) >>> 0;
  let v3h = (0x74656462 ^ key.k1hi) >>> 0;
  let v3l = (0x79746573 ^ key.k1lo) >>> 0;
  const bh = 0x04000000; // the length, 4, in the top byte
  const bl = v >>> 0;
  v3h = (v3h ^ bh) >>> 0;
  v3l = (v3l ^ bl) >>> 0;
  let lo: number, h: number, l: number;
  for (let round = 0; round < 4; round++) {
    // SipRound, additions mod 2^64 with the carry out of the low half:
    // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
    lo = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (lo < v0l ? 1 : 0)) >>> 0;
    v0l = lo;
    h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
    l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
    v1h = (h ^ v0h) >>> 0;
    v1l = (l ^ v0l) >>> 0;
    h = v0h;
    v0h = v0l;
    v0l = h;
    // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
    lo = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (lo < v2l ? 1 : 0)) >>> 0;
    v2l = lo;
    h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
    l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
    v3h = (h ^ v2h) >>> 0;
    v3l = (l ^ v2l) >>> 0;
    // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
    lo = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (lo < v0l ? 1 : 0)) >>> 0;
    v0l = lo;
    h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
    l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
    v3h = (h ^ v0h) >>> 0;
    v3l = (l ^ v0l) >>> 0;
    // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    lo = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (lo < v2l ? 1 : 0)) >>> 0;
    v2l = lo;
    h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
    l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
    v1h = (h ^ v2h) >>> 0;
    v1l = (l ^ v2l) >>> 0;
    h = v2h;
    v2h = v2l;
    v2l = h;
    if (round === 0) {
      // end of the compression of the final block; the finalisation follows
      v0h = (v0h ^ bh) >>> 0;
      v0l = (v0l ^ bl) >>> 0;
      v2l = (v2l ^ 0xff) >>> 0;
    }
  }
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
}

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_SCTP = 132;

/**
 * ip_vs_sh_get_port / ip_vs_mh_get_port: the source port (host order) for TCP, UDP and SCTP, 0 for anything
 * else. Only used when the service has the sh-port / mh-port flag.
 */
export function sourcePortOf(protocol: number, sport: number): number {
  return protocol === IPPROTO_TCP || protocol === IPPROTO_UDP || protocol === IPPROTO_SCTP ? sport : 0;
}
