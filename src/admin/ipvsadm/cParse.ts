import type { Ipv4Address } from '../../wire/index.ts';

/**
 * The C library's number and address parsing as ipvsadm uses it (glibc strtol, strtoul, inet_aton,
 * inet_pton), so that what the real tool accepts (`-w +5`, `-t 10.1:80` = 10.0.0.1, `-M 24` = 0.0.0.24) and
 * refuses is the same here.
 */

/** C isspace in the "C" locale. */
export function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** ipvsadm's str_is_digit: every character a decimal digit (true for the empty string). */
export function strIsDigit(s: string): boolean {
  for (const c of s) if (!isDigit(c)) return false;
  return true;
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/**
 * ipvsadm's string_to_number: strtol(s, &end, 10) must consume the whole string (leading white space and a
 * sign are allowed), must not overflow a 64-bit long, and must lie in [min, max]; else undefined.
 */
export function stringToNumber(s: string, min: number, max: number): number | undefined {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  while (isDigit(s[i])) i++;
  if (i === start || i !== s.length) return undefined;
  let v = BigInt(s.slice(start, i));
  if (neg) v = -v;
  if (v > LONG_MAX || v < LONG_MIN) return undefined;
  if (v < BigInt(min) || v > BigInt(max)) return undefined;
  return Number(v);
}

/**
 * strtoul(s, &end, 0) from position `i` where s[i] is a digit: the value and where it stopped. 0x/0X
 * selects hex (when a hex digit follows), a leading 0 octal.
 */
function strtoulBase0(s: string, i: number): { value: bigint; end: number } {
  let base = 10;
  if (s[i] === '0') {
    if ((s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let v = 0n;
  let j = i;
  for (; j < s.length; j++) {
    const d = parseInt(s[j], 16);
    if (Number.isNaN(d) || d >= base) break;
    v = v * BigInt(base) + BigInt(d);
  }
  return { value: v, end: j };
}

const ULONG_MAX = 2n ** 64n - 1n;
const PART_MAX = [0xffffffffn, 0xffffffn, 0xffffn, 0xffn];

/**
 * glibc inet_aton: one to four parts separated by dots, each a C integer (decimal, 0x hex, 0 octal); the last
 * part fills the remaining bytes (`10.1` = 10.0.0.1, `24` = 0.0.0.24). Anything after white space is ignored.
 */
export function inetAton(s: string): Ipv4Address | undefined {
  const bytes: number[] = [];
  let i = 0;
  let val: bigint;
  for (;;) {
    if (!isDigit(s[i])) return undefined;
    const r = strtoulBase0(s, i);
    if (r.value > ULONG_MAX || r.value > 0xffffffffn) return undefined;
    val = r.value;
    i = r.end;
    if (s[i] === '.') {
      if (bytes.length > 2 || val > 0xffn) return undefined;
      bytes.push(Number(val));
      i++;
    } else break;
  }
  if (i < s.length && !isSpace(s[i])) return undefined;
  if (val > PART_MAX[bytes.length]) return undefined;
  let word = 0;
  for (let k = 0; k < bytes.length; k++) word |= bytes[k] << (24 - 8 * k);
  return ((word >>> 0) | Number(val)) >>> 0;
}

/** glibc inet_pton(AF_INET, ...): exactly four decimal parts 0..255 without leading zeros. */
export function inetPton4(s: string): Ipv4Address | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let a = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    a = a * 256 + n;
  }
  return a;
}

/** Whether glibc inet_pton(AF_INET6, ...) accepts `s` (hex groups, one `::`, an optional dotted quad at the end). */
export function isIpv6Literal(s: string): boolean {
  if (s.length === 0) return false;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  const groupsOf = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = dbl >= 0 ? groupsOf(s.slice(0, dbl)) : groupsOf(s);
  const tail = dbl >= 0 ? groupsOf(s.slice(dbl + 2)) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let k = 0; k < all.length; k++) {
    const g = all[k];
    const last = k === all.length - 1;
    if (last && g.includes('.')) {
      if (inetPton4(g) === undefined) return false;
      count += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
    count++;
  }
  return dbl >= 0 ? count <= 7 : count === 8;
}

/** Whether an IPv6 literal is multicast (ff00::/8): its first group has four digits starting with ff. */
export function isIpv6Multicast(s: string): boolean {
  return /^ff[0-9a-f]{2}:/i.test(s);
}

/**
 * gethostbyname in a lab without a resolver: dotted numbers (through inet_aton, as glibc does) and the
 * names every /etc/hosts has.
 */
export function hostToAddr(name: string): Ipv4Address | undefined {
  if (name === 'localhost') return 0x7f000001;
  return inetAton(name);
}
