import type { Ipv4Address } from '../../wire/index.ts';

/**
 * The text ip_vs_ftp reads in an FTP control connection (net/netfilter/ipvs/ip_vs_ftp.c, Linux 6.1): the
 * client's `PASV`/`EPSV` commands, and the `227`/`229` replies with their address and port, parsed exactly as
 * ip_vs_ftp_get_addrport and in4_pton (net/core/utils.c) parse them — their edge cases included: the "(" of a
 * 227 reply is optional (the first digit starts the address), a number above 255 or a missing field spoils the
 * reply, an empty field counts as 0, a reply that ends before its terminator is no match, and a payload shorter
 * than the pattern but equal to its start is a "partial match". Payloads are Latin-1 text, one character a byte.
 * Only IPv4 (AF_INET) is modelled: the lab has no IPv6.
 */

/** cp->app_data: what the control connection last asked for (IP_VS_FTP_ACTIVE and _PORT are both 0). */
export type FtpMode = 'ACTIVE' | 'PASV' | 'EPSV' | 'EPRT';

/**
 * ip_vs_ftp_get_addrport's result: 1 with the address, port and the span [start, end) of the text that names
 * them (what the helper replaces); 0 when the payload does not start with the pattern; -1 when it does (or might,
 * being shorter than the pattern) but the rest is not a valid address and port.
 */
export type AddrPortResult =
  | { readonly result: 1; readonly addr: Ipv4Address; readonly port: number; readonly start: number; readonly end: number }
  | { readonly result: 0 }
  | { readonly result: -1 };

const NO_MATCH: AddrPortResult = { result: 0 };
const BAD: AddrPortResult = { result: -1 };

const COMMA = 0x2c;
const DOT = 0x2e;
const COLON = 0x3a;
const CR = 0x0d;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

/** The kernel's strncasecmp over `len` characters of `data` from `at` against `pattern`: 0 when equal; a NUL ends it. */
function strncasecmp(data: string, at: number, pattern: string, len: number): number {
  for (let i = 0; i < len; i++) {
    const c1 = data.charCodeAt(at + i);
    const c2 = pattern.charCodeAt(i);
    if (c1 === 0 || c2 === 0) return c1 - c2;
    if (c1 === c2) continue;
    const d = lower(c1) - lower(c2);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * ip_vs_ftp_get_addrport: `data` must start with `pattern` (compared without case). With `skip` ('(' in the
 * replies), characters up to and including a run of `skip` are passed over — for the old format a digit ends the
 * search too, so the "(" is optional. The old format (`ext` false: 227, PORT) is `h1,h2,h3,h4,p1,p2` ended by any
 * character that is neither a digit nor a sixth comma; the extended one (229, EPRT) is `<d>1<d>addr<d>port<d>`
 * with any printable delimiter <d>, where a 229 reply may leave out the family and address (`|||port|`) and then
 * the address is `preset` (the kernel pre-sets it to the real server's).
 */
export function getAddrPort(data: string, pattern: string, skip: string | undefined, ext: boolean, mode: FtpMode, preset: Ipv4Address = 0): AddrPortResult {
  const limit = data.length;
  const plen = pattern.length;
  if (limit < plen) return strncasecmp(data, 0, pattern, limit) === 0 ? BAD : NO_MATCH;
  if (strncasecmp(data, 0, pattern, plen) !== 0) return NO_MATCH;
  let s = plen;
  if (skip !== undefined) {
    const skipCode = skip.charCodeAt(0);
    let found = false;
    for (; ; s++) {
      if (s === limit) return BAD;
      const c = data.charCodeAt(s);
      if (!found) {
        if (!ext && isDigit(c)) break;
        if (c === skipCode) found = true;
      } else if (c !== skipCode) {
        break;
      }
    }
  }
  return ext ? extended(data, s, mode, preset) : sixNumbers(data, s);
}

/** The old format: six comma-separated numbers of at most 255, the sixth followed by a terminator. */
function sixNumbers(data: string, s: number): AddrPortResult {
  const limit = data.length;
  const p = [0, 0, 0, 0, 0, 0];
  let i = 0;
  let at = s;
  for (; ; at++) {
    if (at === limit) return BAD;
    const c = data.charCodeAt(at);
    if (isDigit(c)) {
      const val = p[i] * 10 + c - 0x30;
      if (val > 255) return BAD;
      p[i] = val;
    } else if (c === COMMA && i < 5) {
      i++;
      p[i] = 0;
    } else {
      break;
    }
  }
  if (i !== 5) return BAD;
  const addr = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  return { result: 1, addr, port: (p[4] << 8) | p[5], start: s, end: at };
}

/** The extended format (RFC 2428): `<d>1<d>a.b.c.d<d>port<d>`, or `<d><d><d>port<d>` in a 229 reply. */
function extended(data: string, from: number, mode: FtpMode, preset: Ipv4Address): AddrPortResult {
  const limit = data.length;
  let s = from;
  if (s === limit) return BAD;
  const start = s;
  const edelim = data.charCodeAt(s++);
  if (edelim < 33 || edelim > 126) return BAD;
  if (s === limit) return BAD;
  let addr = preset;
  if (data.charCodeAt(s) === edelim) {
    // No family: only a 229 reply may leave it out, and then the address too.
    if (mode !== 'EPSV') return BAD;
    s++;
    if (s === limit) return BAD;
    if (data.charCodeAt(s) !== edelim) return BAD;
    s++;
  } else {
    // Only an address of the connection's own family (AF_INET: "1").
    if (data.charCodeAt(s) !== 0x31) return BAD;
    s++;
    if (s === limit) return BAD;
    if (data.charCodeAt(s) !== edelim) return BAD;
    s++;
    if (s === limit) return BAD;
    const a = in4Pton(data, s, edelim);
    if (a.addr === undefined) return BAD;
    addr = a.addr;
    s = a.end;
    if (s === limit) return BAD;
    if (data.charCodeAt(s) !== edelim) return BAD;
    s++;
  }
  let hport = 0;
  for (; ; s++) {
    if (s === limit) return BAD;
    const c = data.charCodeAt(s);
    if (!isDigit(c)) break;
    hport = hport * 10 + c - 0x30;
    if (hport > 65535) return BAD;
  }
  if (hport === 0 || data.charCodeAt(s) !== edelim) return BAD;
  return { result: 1, addr, port: hport, start, end: s + 1 };
}

/**
 * in4_pton with a delimiter: four dot-separated decimal octets, each non-empty and at most 255, ended by the
 * delimiter, a ':' or the end of the text (which reads as a NUL, itself a delimiter). `end` is where it stopped:
 * on the delimiter when it succeeded.
 */
function in4Pton(data: string, from: number, delim: number): { addr: Ipv4Address | undefined; end: number } {
  const limit = data.length;
  const octets: number[] = [];
  let s = from;
  let w = 0;
  let digits = 0;
  for (;;) {
    const c = s < limit ? data.charCodeAt(s) : 0;
    const isDelim = c === delim || c === 0;
    if (isDelim || c === COLON || c === DOT) {
      // xdigit2bin tests the delimiter first, so a '.' or ':' delimiter ends the address.
      if (digits === 0) return { addr: undefined, end: s };
      octets.push(w & 0xff);
      w = 0;
      digits = 0;
      if (isDelim || c === COLON) {
        if (octets.length !== 4) return { addr: undefined, end: s };
        break;
      }
    } else if (isDigit(c)) {
      w = w * 10 + c - 0x30;
      digits++;
      if (w > 255) return { addr: undefined, end: s };
    } else {
      return { addr: undefined, end: s };
    }
    if (octets.length >= 4) return { addr: undefined, end: s };
    s++;
  }
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { addr, end: s };
}

/**
 * ip_vs_ftp_in's scan of a client's segment: the first `PASV\r\n` or `EPSV\r` / `EPSV 1\r` anywhere in it,
 * looked for at every offset that leaves six bytes (so a segment shorter than six bytes is never looked at).
 * `EPSV` followed by another family (`EPSV 2`), by `ALL`, or too close to the end stops the scan with nothing.
 */
export function passiveRequest(text: string): 'PASV' | 'EPSV' | undefined {
  const limit = text.length;
  for (let d = 0; d <= limit - 6; d++) {
    if (strncasecmp(text, d, 'PASV\r\n', 6) === 0) return 'PASV';
    const c4 = text.charCodeAt(d + 4);
    if (strncasecmp(text, d, 'EPSV', 4) === 0 && (c4 === 0x20 || c4 === CR)) {
      if (c4 === 0x20) {
        if (d > limit - 7 || text.charCodeAt(d + 6) !== CR) return undefined;
        if (text.charCodeAt(d + 5) !== 0x31) return undefined;
      }
      return 'EPSV';
    }
  }
  return undefined;
}
