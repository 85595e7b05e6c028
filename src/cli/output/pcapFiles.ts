import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '../../lab/index.ts';
import { emitFrame, PcapWriter } from '../../wire/index.ts';

/**
 * One classic pcap file per segment (`DIR/<segment>.pcap`), as if a capture ran on each switch: every frame an
 * interface starts sending on the segment, once, at the moment it starts (the sender-side `tx` time), with the
 * padding a NIC adds to short frames. A frame a router forwards appears in both segments' files, as a separate
 * frame each time. Every segment gets a file, empty segments a header-only one, so a script can open them all.
 */
export class SegmentCapture {
  private readonly writers = new Map<string, PcapWriter>();

  /** Must be created before the lab runs: frames sent before `onFrame` is registered are not captured. */
  constructor(lab: Lab) {
    for (const segment of lab.segmentNames()) this.writers.set(segment, new PcapWriter());
    lab.onFrame((segment, time, frame) => {
      let w = this.writers.get(segment);
      if (w === undefined) {
        w = new PcapWriter();
        this.writers.set(segment, w);
      }
      w.add(time, emitFrame(frame));
    });
  }

  /** Segment names with the number of frames captured on each, in the lab's segment order. */
  counts(): Array<{ segment: string; frames: number }> {
    return [...this.writers].map(([segment, w]) => ({ segment, frames: w.count }));
  }

  /** Writes every file (creating `dir` if needed) and returns their paths. Throws the fs error on failure. */
  writeTo(dir: string): string[] {
    mkdirSync(dir, { recursive: true });
    const paths: string[] = [];
    for (const [segment, w] of this.writers) {
      const path = join(dir, pcapFileName(segment));
      writeFileSync(path, w.toBytes());
      paths.push(path);
    }
    return paths;
  }
}

/**
 * `<segment>.pcap`. The scenario loader already restricts segment names to letters, digits, `_`, `.` and `-`
 * not starting with `.` or `-`; anything else is percent-encoded so a name can never leave the directory.
 */
export function pcapFileName(segment: string): string {
  const safe = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(segment) ? segment : encodeURIComponent(segment).replace(/^\./, '%2E');
  return `${safe}.pcap`;
}
