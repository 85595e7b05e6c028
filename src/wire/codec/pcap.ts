/**
 * The classic libpcap file format (pcap-savefile(5); draft-ietf-opsawg-pcap): a 24-byte global header, then
 * per frame a 16-byte record header and the frame bytes. This writer uses the nanosecond-resolution magic
 * 0xa1b23c4d, version 2.4, snaplen 262144 and link type 1 (LINKTYPE_ETHERNET), written little-endian
 * (readers detect the byte order from the magic). File format only: saving the bytes is the caller's job.
 */

export const PCAP_MAGIC_NANOSECONDS = 0xa1b23c4d;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

const NS_PER_SECOND = 1_000_000_000;

export class PcapWriter {
  private buf: Uint8Array;
  private view: DataView;
  private used = 0;
  private records = 0;

  constructor() {
    this.buf = new Uint8Array(64 * 1024);
    this.view = new DataView(this.buf.buffer);
    const v = this.view;
    v.setUint32(0, PCAP_MAGIC_NANOSECONDS, true);
    v.setUint16(4, PCAP_VERSION_MAJOR, true);
    v.setUint16(6, PCAP_VERSION_MINOR, true);
    v.setInt32(8, 0, true); // thiszone: timestamps are UTC (simulated time zero is the epoch)
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, PCAP_SNAPLEN, true);
    v.setUint32(20, LINKTYPE_ETHERNET, true);
    this.used = PCAP_GLOBAL_HEADER_LEN;
  }

  /** Frames added so far. */
  get count(): number {
    return this.records;
  }

  /** Size of the file `toBytes` would return. */
  get byteLength(): number {
    return this.used;
  }

  /**
   * Appends one frame captured at `timeNs` (integer nanoseconds since the start of the run, shown by readers
   * as seconds since 1970-01-01). Frames longer than the snaplen are stored cut, with their original length.
   * The bytes are copied, so the caller may reuse its buffer.
   */
  add(timeNs: number, frameBytes: Uint8Array): void {
    if (!Number.isSafeInteger(timeNs) || timeNs < 0) {
      throw new RangeError(`pcap timestamp ${timeNs} is not a non-negative integer of nanoseconds`);
    }
    const seconds = Math.floor(timeNs / NS_PER_SECOND);
    if (seconds > 0xffffffff) throw new RangeError(`pcap timestamp ${timeNs} ns does not fit 32-bit seconds`);
    const captured = Math.min(frameBytes.length, PCAP_SNAPLEN);
    this.reserve(PCAP_RECORD_HEADER_LEN + captured);
    const v = this.view;
    const at = this.used;
    v.setUint32(at, seconds, true);
    v.setUint32(at + 4, timeNs - seconds * NS_PER_SECOND, true);
    v.setUint32(at + 8, captured, true);
    v.setUint32(at + 12, frameBytes.length, true);
    this.buf.set(captured === frameBytes.length ? frameBytes : frameBytes.subarray(0, captured), at + PCAP_RECORD_HEADER_LEN);
    this.used = at + PCAP_RECORD_HEADER_LEN + captured;
    this.records++;
  }

  /** The whole file: global header and every record so far (a copy; the writer can keep adding). */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.used);
  }

  /** Grows the buffer geometrically so appending n frames costs O(total bytes). */
  private reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.used));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
