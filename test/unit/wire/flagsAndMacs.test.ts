import { describe, expect, it } from 'vitest';
import { isMulticastMac, MAC_BROADCAST, tcpdumpFlags, TcpFlag, tcpFlagsText } from '../../../src/wire/index.ts';

describe('TCP flag letters', () => {
  it('the trace writes S F R P U E W A, only the set ones', () => {
    expect(tcpFlagsText(0)).toBe('');
    expect(tcpFlagsText(TcpFlag.SYN)).toBe('S');
    expect(tcpFlagsText(TcpFlag.SYN | TcpFlag.ACK)).toBe('SA');
    expect(tcpFlagsText(TcpFlag.PSH | TcpFlag.ACK)).toBe('PA');
    expect(tcpFlagsText(TcpFlag.FIN | TcpFlag.ACK)).toBe('FA');
    expect(tcpFlagsText(TcpFlag.RST | TcpFlag.ACK)).toBe('RA');
    expect(tcpFlagsText(0xff)).toBe('SFRPUEWA');
    // Remembered texts are the same the second time (the table is filled on first use).
    expect(tcpFlagsText(0xff)).toBe('SFRPUEWA');
  });

  it('tcpdump writes F S R P . U E W, and none for no flag', () => {
    expect(tcpdumpFlags(0)).toBe('none');
    expect(tcpdumpFlags(TcpFlag.SYN | TcpFlag.ACK)).toBe('S.');
    expect(tcpdumpFlags(0xff)).toBe('FSRP.UEW');
  });
});

describe('isMulticastMac', () => {
  it('reads the group bit of the first octet, whatever its hex digit', () => {
    for (let b = 0; b < 256; b++) {
      const hex = b.toString(16).padStart(2, '0');
      expect(isMulticastMac(`${hex}:00:5e:00:00:01`), hex).toBe((b & 1) === 1);
      expect(isMulticastMac(`${hex.toUpperCase()}:00:5e:00:00:01`), hex.toUpperCase()).toBe((b & 1) === 1);
    }
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true);
    expect(isMulticastMac('02:00:00:00:00:01')).toBe(false);
  });
});
