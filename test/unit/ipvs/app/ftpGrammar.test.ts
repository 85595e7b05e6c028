import { describe, expect, it } from 'vitest';
import { getAddrPort, passiveRequest } from '../../../../src/ipvs/app/ftpGrammar.ts';
import { parseIpv4 } from '../../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;
const pasv = (text: string) => getAddrPort(text, '227 ', '(', false, 'PASV');
const epsv = (text: string, preset = ip('192.168.0.2')) => getAddrPort(text, '229 ', '(', true, 'EPSV', preset);

describe('ip_vs_ftp_get_addrport: the 227 reply (old format)', () => {
  it('finds the address and port, and the span between "(" and the terminator', () => {
    const text = '227 Entering Passive Mode (192,168,0,2,195,80)\r\n';
    const r = pasv(text);
    expect(r).toEqual({ result: 1, addr: ip('192.168.0.2'), port: 195 * 256 + 80, start: 27, end: 45 });
    if (r.result === 1) expect(text.slice(r.start, r.end)).toBe('192,168,0,2,195,80');
  });

  it('takes the "(" as optional: the first digit after the code starts the address', () => {
    const r = pasv('227 Entering Passive Mode 10,0,0,1,4,1\r\n');
    expect(r).toMatchObject({ result: 1, addr: ip('10.0.0.1'), port: 1025 });
    // ...which also means a digit in the text before the parenthesis is taken for the address.
    expect(pasv('227 Mode 2 (10,0,0,1,4,1)\r\n')).toEqual({ result: -1 });
    // Several "(" are skipped as one run.
    expect(pasv('227 ((10,0,0,1,4,1))\r\n')).toMatchObject({ result: 1, addr: ip('10.0.0.1') });
  });

  it('compares the code without case and only at the start of the payload', () => {
    expect(pasv('150 Opening\r\n227 Entering Passive Mode (10,0,0,1,4,1)\r\n')).toEqual({ result: 0 });
    expect(getAddrPort('port 10,0,0,1,4,1\r\n', 'PORT', ' ', false, 'ACTIVE')).toMatchObject({ result: 1, addr: ip('10.0.0.1'), port: 1025 });
    expect(pasv('226 Transfer complete\r\n')).toEqual({ result: 0 });
  });

  it('refuses a number above 255 and a missing field', () => {
    expect(pasv('227 (192,168,0,256,195,80)\r\n')).toEqual({ result: -1 });
    expect(pasv('227 (192,168,0,2,195,300)\r\n')).toEqual({ result: -1 });
    expect(pasv('227 (192,168,0,2,195)\r\n')).toEqual({ result: -1 });
  });

  it('reads an empty field as 0, and ends at the first character that is neither a digit nor a sixth comma', () => {
    expect(pasv('227 (10,,0,1,,7)\r\n')).toMatchObject({ result: 1, addr: ip('10.0.0.1'), port: 7 });
    // A seventh number: the sixth comma is the terminator.
    const r = pasv('227 (10,0,0,1,4,1,9)\r\n');
    expect(r).toMatchObject({ result: 1, addr: ip('10.0.0.1'), port: 1025 });
    if (r.result === 1) expect(r.end).toBe('227 (10,0,0,1,4,1'.length);
  });

  it('needs a terminator: a reply cut after its last digit, or before its address, is no match', () => {
    expect(pasv('227 Entering Passive Mode (192,168,0,2,195,80')).toEqual({ result: -1 });
    expect(pasv('227 Entering Passive Mode (')).toEqual({ result: -1 });
    expect(pasv('227 ')).toEqual({ result: -1 });
  });

  it('calls a payload shorter than the code a partial match (-1) only when it is the code\'s start', () => {
    expect(pasv('22')).toEqual({ result: -1 });
    expect(pasv('2')).toEqual({ result: -1 });
    expect(pasv('')).toEqual({ result: -1 });
    expect(pasv('23')).toEqual({ result: 0 });
    // A NUL ends the comparison: a mismatch.
    expect(pasv('227\u0000')).toEqual({ result: 0 });
  });
});

describe('ip_vs_ftp_get_addrport: the 229 reply (extended format)', () => {
  it('reads `|||port|`, the address being the one given beforehand, and spans the delimiters', () => {
    const text = '229 Entering Extended Passive Mode (|||50007|)\r\n';
    const r = epsv(text);
    expect(r).toEqual({ result: 1, addr: ip('192.168.0.2'), port: 50007, start: 36, end: 45 });
    if (r.result === 1) expect(text.slice(r.start, r.end)).toBe('|||50007|');
  });

  it('takes any printable delimiter, and an address of family 1', () => {
    expect(epsv('229 (!!!21!)')).toMatchObject({ result: 1, port: 21 });
    expect(epsv('229 (|1|10.1.2.3|2000|)')).toMatchObject({ result: 1, addr: ip('10.1.2.3'), port: 2000 });
    expect(epsv('229 (|1|010.001.002.003|2000|)')).toMatchObject({ result: 1, addr: ip('10.1.2.3') });
  });

  it('refuses another family, a bad address, port 0 or above 65535, and a missing delimiter', () => {
    expect(epsv('229 (|2|::1|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|1|10.1.2|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|1|10.1.2.3.4|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|1|10.1.2.256|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|1|10..2.3|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|1|10.1.2.a|2000|)')).toEqual({ result: -1 });
    expect(epsv('229 (|||0|)')).toEqual({ result: -1 });
    expect(epsv('229 (|||65536|)')).toEqual({ result: -1 });
    expect(epsv('229 (|||65535|)')).toMatchObject({ result: 1, port: 65535 });
    expect(epsv('229 (|||2000)')).toEqual({ result: -1 });
    expect(epsv('229 (|||2000')).toEqual({ result: -1 });
    expect(epsv('229 ( ||2000|)')).toEqual({ result: -1 });
  });

  it('requires the "(" (the extended format has no digit to start at), and lets only 229 leave out the family', () => {
    expect(epsv('229 Entering Extended Passive Mode |||50007|')).toEqual({ result: -1 });
    expect(getAddrPort('EPRT |||2000|\r\n', 'EPRT', ' ', true, 'EPRT')).toEqual({ result: -1 });
    expect(getAddrPort('EPRT |1|10.0.0.9|2000|\r\n', 'EPRT', ' ', true, 'EPRT')).toMatchObject({ result: 1, addr: ip('10.0.0.9'), port: 2000 });
  });
});

describe("ip_vs_ftp_in's scan for passive mode", () => {
  it('finds PASV and EPSV anywhere in the segment, without case', () => {
    expect(passiveRequest('PASV\r\n')).toBe('PASV');
    expect(passiveRequest('pasv\r\n')).toBe('PASV');
    expect(passiveRequest('NOOP\r\nPASV\r\n')).toBe('PASV');
    expect(passiveRequest('EPSV\r\n')).toBe('EPSV');
    expect(passiveRequest('EPSV 1\r\n')).toBe('EPSV');
  });

  it('ignores EPSV for another family or ALL, PASV without CRLF, and segments shorter than six bytes', () => {
    expect(passiveRequest('EPSV 2\r\n')).toBeUndefined();
    expect(passiveRequest('EPSV ALL\r\n')).toBeUndefined();
    expect(passiveRequest('PASV\n')).toBeUndefined();
    expect(passiveRequest('PASV \r\n')).toBeUndefined();
    expect(passiveRequest('EPSV\r')).toBeUndefined();
    expect(passiveRequest('RETR /bytes/100\r\n')).toBeUndefined();
    // An EPSV for another family stops the scan: a PASV after it in the same segment is not seen.
    expect(passiveRequest('EPSV 2\r\nPASV\r\n')).toBeUndefined();
  });
});
