import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitFrame, formatIpv4, isIcmpError, PcapWriter, type Frame, type Ipv4Packet } from '../../../src/wire/index.ts';
import { TSHARK_FRAMES } from './tsharkFrames.ts';

/**
 * Cross-checks the codec against an independent dissector: Wireshark's tshark reads the pcap we write and
 * must find no malformed frame, no bad IPv4/TCP/UDP/ICMP checksum, and the field values we wrote.
 * tshark is a required test dependency (CI installs it); without it this test fails rather than skips.
 */

const CHECKSUM_PREFS = ['-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE'];
// Wireshark's checksum status values (tshark -G values): 0 Bad, 1 Good, 2 Unverified, 3 Not present. The bad
// ones are 0; 2 is expected for a transport header quoted in an ICMP error, which is cut and cannot be checked.
const BAD_CHECKSUM = 'tcp.checksum.status==0 || udp.checksum.status==0 || ip.checksum.status==0 || icmp.checksum.status==0';

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'eth.src', 'eth.dst',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4',
  'ip.src', 'ip.dst', 'ip.id', 'ip.ttl', 'ip.proto', 'ip.len', 'ip.flags.df',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.len',
  'udp.srcport', 'udp.dstport', 'udp.length',
  'icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq', 'icmp.mtu', 'icmp.redir_gw',
] as const;
type Field = (typeof FIELDS)[number];

function requireTshark(): void {
  const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'tshark is not installed, and this test needs it: run `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tshark` (CI installs it)',
    );
  }
}

function tshark(file: string, args: string[]): string {
  return execFileSync('tshark', ['-r', file, ...CHECKSUM_PREFS, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
}

function timeOf(index: number): number {
  return 1_000_000_000 + index * 1_000_007;
}

function epoch(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
}

/** What tshark should print for a frame, derived from the repr we emitted. */
function expectedRow(frame: Frame, index: number): string {
  const cols = new Map<Field, string[]>();
  const put = (f: Field, v: string | number): void => {
    const list = cols.get(f) ?? [];
    list.push(String(v));
    cols.set(f, list);
  };
  put('frame.number', index + 1);
  put('frame.time_epoch', epoch(timeOf(index)));
  put('frame.len', emitFrame(frame).length);
  put('eth.src', frame.eth.src);
  put('eth.dst', frame.eth.dst);
  const body = frame.body;
  if (body.kind === 'arp') {
    put('arp.opcode', body.arp.op);
    put('arp.src.hw_mac', body.arp.sha);
    put('arp.src.proto_ipv4', formatIpv4(body.arp.spa));
    put('arp.dst.proto_ipv4', formatIpv4(body.arp.tpa));
  } else if (body.kind === 'ipv4') {
    addPacket(body, false, put);
  }
  return FIELDS.map((f) => (cols.get(f) ?? []).join(',')).join('|');
}

function addPacket(p: Ipv4Packet, quoted: boolean, put: (f: Field, v: string | number) => void): void {
  put('ip.src', formatIpv4(p.ip.src));
  put('ip.dst', formatIpv4(p.ip.dst));
  put('ip.id', `0x${p.ip.ident.toString(16).padStart(4, '0')}`);
  put('ip.ttl', p.ip.ttl);
  put('ip.proto', p.ip.protocol);
  put('ip.flags.df', p.ip.df ? 1 : 0);
  const l4 = p.l4;
  // The quoted header keeps the original total length; the quote carries only the first 8 payload bytes,
  // so tshark decodes TCP ports (not seq) and the whole UDP header.
  put('ip.len', totalLengthOf(p));
  switch (l4.proto) {
    case 'tcp':
      put('tcp.srcport', l4.sport);
      put('tcp.dstport', l4.dport);
      if (quoted) break;
      put('tcp.seq_raw', l4.seq);
      put('tcp.ack_raw', l4.ack);
      put('tcp.flags', `0x${l4.flags.toString(16).padStart(4, '0')}`);
      put('tcp.window_size_value', l4.window);
      if (l4.mss !== undefined) put('tcp.options.mss_val', l4.mss);
      put('tcp.len', l4.payload.length);
      break;
    case 'udp':
      put('udp.srcport', l4.sport);
      put('udp.dstport', l4.dport);
      put('udp.length', 8 + l4.payload.length);
      break;
    case 'icmp':
      put('icmp.type', l4.type);
      put('icmp.code', l4.code);
      if ('ident' in l4) {
        put('icmp.ident', l4.ident);
        put('icmp.seq', l4.sequence);
      } else if (isIcmpError(l4)) {
        if (l4.type === 3 && l4.code === 4) put('icmp.mtu', l4.mtu);
        if (l4.type === 5) put('icmp.redir_gw', formatIpv4(l4.gateway));
        addPacket(l4.original, true, put);
      }
      break;
    case 'ipip':
      addPacket(l4.inner, quoted, put);
      break;
    case 'raw':
      break;
  }
}

function totalLengthOf(p: Ipv4Packet): number {
  const b = emitFrame({ eth: { src: '00:00:00:00:00:00', dst: '00:00:00:00:00:00', etherType: 0x0800 }, body: p });
  return (b[16] << 8) | b[17];
}

describe('pcap files read by tshark', () => {
  let dir = '';
  let file = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lvs-lab-pcap-'));
    file = join(dir, 'varied.pcap');
    const w = new PcapWriter();
    TSHARK_FRAMES.forEach((f, i) => w.add(timeOf(i), emitFrame(f)));
    writeFileSync(file, w.toBytes());
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('reads every frame, none malformed and none with a bad checksum', () => {
    requireTshark();
    const all = tshark(file, ['-T', 'fields', '-e', 'frame.number']).trim().split('\n');
    expect(all).toHaveLength(TSHARK_FRAMES.length);
    expect(tshark(file, ['-Y', '_ws.malformed', '-T', 'fields', '-e', 'frame.number']).trim()).toBe('');
    expect(tshark(file, ['-Y', BAD_CHECKSUM, '-T', 'fields', '-e', 'frame.number']).trim()).toBe('');
    // The checks are live: checksums were verified (status 1 = good) on TCP, UDP, IPv4 and ICMP.
    const good = tshark(file, ['-Y', 'tcp.checksum.status==1 && ip.checksum.status==1', '-T', 'fields', '-e', 'frame.number']);
    expect(good.trim().split('\n').length).toBeGreaterThanOrEqual(8);
    expect(tshark(file, ['-Y', 'udp.checksum.status==1', '-T', 'fields', '-e', 'frame.number']).trim()).not.toBe('');
    expect(tshark(file, ['-Y', 'icmp.checksum.status==1', '-T', 'fields', '-e', 'frame.number']).trim()).not.toBe('');
  });

  it('raises no expert warning beyond the RST it was given', () => {
    requireTshark();
    const out = tshark(file, ['-Y', '_ws.expert.severity >= 0x600000', '-T', 'fields', '-E', 'occurrence=a', '-e', 'frame.number', '-e', '_ws.expert.message']);
    const rst = TSHARK_FRAMES.findIndex((f) => f.body.kind === 'ipv4' && f.body.l4.proto === 'tcp' && f.body.l4.flags === 0x04) + 1;
    expect(out.trim()).toBe(`${rst}\tConnection reset (RST)`);
  });

  it('decodes the fields that were written', () => {
    requireTshark();
    const out = tshark(file, ['-T', 'fields', '-E', 'separator=|', ...FIELDS.flatMap((f) => ['-e', f])]);
    const rows = out.trimEnd().split('\n');
    expect(rows).toEqual(TSHARK_FRAMES.map((f, i) => expectedRow(f, i)));
  });

  it('flags a frame with a broken checksum (the filter is not vacuous)', () => {
    requireTshark();
    const w = new PcapWriter();
    const bytes = emitFrame(TSHARK_FRAMES[2]);
    bytes[14 + 20 + 16] ^= 0xff; // TCP checksum
    w.add(0, bytes);
    const bad = join(dir, 'bad.pcap');
    writeFileSync(bad, w.toBytes());
    expect(tshark(bad, ['-Y', BAD_CHECKSUM, '-T', 'fields', '-e', 'frame.number']).trim()).toBe('1');
  });
});
