import { describe, expect, it } from 'vitest';
import { emitFrame, parseFrame, WireFormatError, type Frame } from '../../../src/wire/index.ts';
import { SYN, UDP_PACKET } from './fixtures.ts';

/** Every truncation of a valid frame either parses or throws a WireFormatError naming a layer and offset. */

const ETH = { src: '02:00:00:00:01:fe', dst: '02:00:00:00:01:6e', etherType: 0x0800 };
const FRAMES: Record<string, Frame> = {
  tcp: { eth: ETH, body: SYN },
  udp: { eth: ETH, body: UDP_PACKET },
  icmpError: {
    eth: ETH,
    body: { ...UDP_PACKET, ip: { ...UDP_PACKET.ip, protocol: 1 }, l4: { proto: 'icmp', type: 3, code: 3, mtu: 0, gateway: 0, original: UDP_PACKET } },
  },
  ipip: { eth: ETH, body: { ...SYN, ip: { ...SYN.ip, protocol: 4 }, l4: { proto: 'ipip', inner: SYN } } },
  arp: {
    eth: { ...ETH, etherType: 0x0806 },
    body: { kind: 'arp', id: 0, arp: { op: 1, sha: ETH.src, spa: 1, tha: '00:00:00:00:00:00', tpa: 2 } },
  },
};

describe('malformed input', () => {
  for (const [name, frame] of Object.entries(FRAMES)) {
    it(`${name}: every truncation parses or throws WireFormatError with layer and offset`, () => {
      const bytes = emitFrame(frame);
      const layers = new Set<string>();
      for (let n = 0; n < bytes.length; n++) {
        try {
          parseFrame(bytes.subarray(0, n));
        } catch (e) {
          expect(e).toBeInstanceOf(WireFormatError);
          const err = e as WireFormatError;
          expect(err.name).toBe('WireFormatError');
          expect(err.message.startsWith(`${err.layer} at byte ${err.offset}: `)).toBe(true);
          layers.add(err.layer);
        }
      }
      expect(layers.has('ethernet')).toBe(true);
    });
  }

  it('names the inner layer and its offset when the damage is inside a tunnel', () => {
    const ipip = emitFrame(FRAMES.ipip);
    const badTcp = ipip.slice();
    badTcp[14 + 20 + 20 + 16] ^= 0x01; // inner TCP checksum; the IP checksums stay right
    expect(() => parseFrame(badTcp)).toThrow(/^tcp at byte 54: bad checksum/);
    const cut = ipip.subarray(0, 14 + 20 + 30); // outer header claims 64 bytes, 50 are there
    expect(() => parseFrame(cut)).toThrow(/^ipv4 at byte 14: total length 64 runs past the end of the data \(50 bytes\)/);
  });

  it('rejects an ICMP message shorter than its 8-byte header', () => {
    const f = emitFrame(FRAMES.icmpError);
    const b = f.slice(0, 14 + 20 + 6);
    b[16] = 0;
    b[17] = 26; // total length 26: 6 bytes of ICMP
    expect(() => parseFrame(b, { verifyChecksums: false })).toThrow(/icmp at byte 34: header needs 8 bytes, only 6 left/);
  });
});
