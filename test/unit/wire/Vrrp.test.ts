import { describe, expect, it } from 'vitest';
import { decodeVrrp, encodeVrrp, formatPacket, VRRP_GROUP, VrrpAuth, ipv4MulticastMac, parseIpv4, type Ipv4Packet } from '../../../src/wire/index.ts';

const src = parseIpv4('10.0.0.2')!;

describe('VRRP advert codec', () => {
  it('v2 round-trips with a password and several addresses; the checksum verifies', () => {
    const a = { version: 2 as const, vrid: 51, priority: 150, interval: 1, addresses: [parseIpv4('10.0.0.100')!, parseIpv4('10.0.0.101')!], authType: VrrpAuth.pass, authPass: 'secret' };
    const p = encodeVrrp(a, src, VRRP_GROUP);
    expect(p.length).toBe(8 + 8 + 8);
    expect(p.bytes![0]).toBe(0x21);
    const d = decodeVrrp(p, src, VRRP_GROUP);
    expect(d).toEqual({ ok: true, advert: a });
    const bad = new Uint8Array(p.bytes!);
    bad[2] ^= 1;
    expect(decodeVrrp({ length: bad.length, bytes: bad }, src, VRRP_GROUP)).toEqual({ ok: false, error: 'bad checksum' });
  });
  it('v3 carries centiseconds in 12 bits and its checksum covers the pseudo-header', () => {
    const a = { version: 3 as const, vrid: 7, priority: 100, interval: 0xfff, addresses: [parseIpv4('192.168.1.1')!] };
    const p = encodeVrrp(a, src, VRRP_GROUP);
    expect(p.length).toBe(12);
    expect(decodeVrrp(p, src, VRRP_GROUP)).toEqual({ ok: true, advert: a });
    expect(decodeVrrp(p, parseIpv4('10.0.0.3')!, VRRP_GROUP)).toEqual({ ok: false, error: 'bad checksum' });
  });
  it('the group maps to its multicast MAC', () => {
    expect(ipv4MulticastMac(VRRP_GROUP)).toBe('01:00:5e:00:00:12');
    expect(ipv4MulticastMac(parseIpv4('239.129.1.2')!)).toBe('01:00:5e:01:01:02');
  });
});

describe('VRRP in tcpdump style', () => {
  it('prints version, vrid, priority, auth type and interval as print-vrrp.c does', () => {
    const packet = (version: 2 | 3, interval: number): Ipv4Packet => {
      const payload = encodeVrrp({ version, vrid: 51, priority: 150, interval, addresses: [parseIpv4('10.0.0.100')!], authType: version === 2 ? VrrpAuth.pass : undefined, authPass: 'x' }, src, VRRP_GROUP);
      return { kind: 'ipv4', id: 1, ip: { tos: 0, ident: 1, df: false, mf: false, fragOffset: 0, ttl: 255, protocol: 112, src, dst: VRRP_GROUP }, l4: { proto: 'raw', payload } };
    };
    expect(formatPacket(packet(2, 1))).toBe('IP 10.0.0.2 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 150, authtype simple, intvl 1s, length 20');
    expect(formatPacket(packet(3, 100))).toBe('IP 10.0.0.2 > 224.0.0.18: VRRPv3, Advertisement, vrid 51, prio 150, intvl 100cs, length 12');
  });
});
