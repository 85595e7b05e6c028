import type { Ipv4Address, Payload } from '../../wire/index.ts';

/**
 * The IPVS connection-synchronisation message, version 1 (net/netfilter/ipvs/ip_vs_sync.c, struct
 * ip_vs_sync_mesg and struct ip_vs_sync_v4), as the bytes of a UDP payload to 224.0.0.81:8848:
 *
 *   header (8):  reserved 0 | syncid | size (16) | nr_conns | version 1 | spare (16)
 *   per entry (36, IPv4 without options):
 *                type 0 | protocol | ver_size (16: version 0 << 12 | 36) | flags (32) | state (16)
 *                | cport | vport | dport (16 each) | fwmark (32) | timeout (32, seconds) | caddr | vaddr | daddr
 */
export const SYNC_GROUP: Ipv4Address = 0xe0000051; // 224.0.0.81
export const SYNC_PORT = 8848;
export const SYNC_PROTO_VER = 1;
export const SYNC_HEADER_LEN = 8;
export const SYNC_CONN_LEN = 36;

/** IP_VS_CONN_F_* bits as carried in the message (include/uapi/linux/ip_vs.h). */
export const SyncConnFlag = {
  MASQ: 0x0000,
  TUNNEL: 0x0002,
  DROUTE: 0x0003,
  FWD_MASK: 0x0007,
  SYNC: 0x0020,
  NOOUTPUT: 0x0080,
  INACTIVE: 0x0100,
  TEMPLATE: 0x1000,
  ONE_PACKET: 0x2000,
} as const;

export interface SyncConn {
  readonly protocol: number;
  readonly flags: number;
  readonly state: number;
  readonly cport: number;
  readonly vport: number;
  readonly dport: number;
  readonly fwmark: number;
  /** Seconds. */
  readonly timeout: number;
  readonly caddr: Ipv4Address;
  readonly vaddr: Ipv4Address;
  readonly daddr: Ipv4Address;
}

export interface SyncMessage {
  readonly syncId: number;
  readonly conns: readonly SyncConn[];
}

export function syncMessageLength(n: number): number {
  return SYNC_HEADER_LEN + n * SYNC_CONN_LEN;
}

export function encodeSyncMessage(m: SyncMessage): Payload {
  const len = syncMessageLength(m.conns.length);
  const b = new Uint8Array(len);
  b[1] = m.syncId & 0xff;
  put16(b, 2, len);
  b[4] = m.conns.length & 0xff;
  b[5] = SYNC_PROTO_VER;
  let o = SYNC_HEADER_LEN;
  for (const c of m.conns) {
    b[o] = 0;
    b[o + 1] = c.protocol;
    put16(b, o + 2, SYNC_CONN_LEN);
    put32(b, o + 4, c.flags);
    put16(b, o + 8, c.state);
    put16(b, o + 10, c.cport);
    put16(b, o + 12, c.vport);
    put16(b, o + 14, c.dport);
    put32(b, o + 16, c.fwmark);
    put32(b, o + 20, c.timeout);
    put32(b, o + 24, c.caddr);
    put32(b, o + 28, c.vaddr);
    put32(b, o + 32, c.daddr);
    o += SYNC_CONN_LEN;
  }
  return { length: len, bytes: b };
}

/** Parses a version-1 message; undefined for anything else (ip_vs_process_message drops it). */
export function decodeSyncMessage(p: Payload): SyncMessage | undefined {
  const b = p.bytes;
  if (!b || b.length < SYNC_HEADER_LEN || b[0] !== 0 || b[5] !== SYNC_PROTO_VER) return undefined;
  const size = get16(b, 2);
  const n = b[4];
  if (size !== b.length || size < syncMessageLength(n)) return undefined;
  const conns: SyncConn[] = [];
  let o = SYNC_HEADER_LEN;
  for (let i = 0; i < n; i++) {
    if (b[o] !== 0 || (get16(b, o + 2) & 0x0fff) !== SYNC_CONN_LEN) return undefined;
    conns.push({
      protocol: b[o + 1],
      flags: get32(b, o + 4),
      state: get16(b, o + 8),
      cport: get16(b, o + 10),
      vport: get16(b, o + 12),
      dport: get16(b, o + 14),
      fwmark: get32(b, o + 16),
      timeout: get32(b, o + 20),
      caddr: get32(b, o + 24),
      vaddr: get32(b, o + 28),
      daddr: get32(b, o + 32),
    });
    o += SYNC_CONN_LEN;
  }
  return { syncId: b[1], conns };
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

function get16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function get32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
