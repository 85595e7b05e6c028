import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lvsLab, parseTrace, ROUTED_SEGMENTS, routedScenario, tempDir, type TraceLine } from './helpers.ts';

function requireTshark(): void {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('tshark is not installed (or does not run): the pcap test needs it to read the captures (apt-get install tshark)');
  }
}

/** One line per frame: number, the protocol stack, and whether Wireshark flagged it malformed or with an expert error. */
function tsharkFields(file: string, fields: string[], filter?: string): string[] {
  const args = ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  if (filter !== undefined) args.push('-Y', filter);
  const out = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l !== '');
}

describe('lvs-lab run --pcap', () => {
  let tmp: ReturnType<typeof tempDir>;
  let trace: TraceLine[];
  beforeAll(() => {
    requireTshark();
    tmp = tempDir({ 's.yaml': routedScenario() });
    const r = lvsLab(['run', 's.yaml', '--pcap', 'caps', '--trace', 't.jsonl'], tmp.dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    trace = parseTrace(readFileSync(join(tmp.dir, 't.jsonl'), 'utf8'));
  });
  afterAll(() => tmp?.cleanup());

  it('writes one classic pcap per segment', () => {
    expect(readdirSync(join(tmp.dir, 'caps')).sort()).toEqual(['lan1.pcap', 'lan2.pcap']);
    for (const seg of ['lan1', 'lan2']) {
      const bytes = readFileSync(join(tmp.dir, 'caps', `${seg}.pcap`));
      // nanosecond-resolution classic pcap magic, little-endian
      expect(bytes.readUInt32LE(0)).toBe(0xa1b23c4d);
    }
  });

  it.each(['lan1', 'lan2'])('tshark reads %s.pcap with no malformed frame, one frame per tx on the segment', (seg) => {
    const file = join(tmp.dir, 'caps', `${seg}.pcap`);
    expect(existsSync(file)).toBe(true);
    const frames = tsharkFields(file, ['frame.number', 'frame.protocols']);
    const sent = trace.filter((e) => e.kind === 'tx' && ROUTED_SEGMENTS[e.host!]?.[e.iface!] === seg);
    expect(sent.length).toBeGreaterThan(0);
    expect(frames).toHaveLength(sent.length);
    expect(tsharkFields(file, ['frame.number'], '_ws.malformed || _ws.expert.severity == error')).toEqual([]);
    // The same frames in the same order: ARP where the trace says ARP, ICMP where it says ICMP.
    sent.forEach((e, i) => {
      const protocols = frames[i].split('\t')[1];
      if (e.pkt?.arp) expect(protocols).toMatch(/eth:ethertype:arp/);
      if (e.pkt?.icmp) expect(protocols).toMatch(/eth:ethertype:ip:icmp/);
    });
    expect(frames.some((f) => f.includes(':icmp'))).toBe(true);
  });

  it('stamps each frame with the simulated time of its tx event', () => {
    const file = join(tmp.dir, 'caps', 'lan2.pcap');
    const times = tsharkFields(file, ['frame.time_epoch']).map((s) => s.trim());
    const sent = trace.filter((e) => e.kind === 'tx' && ROUTED_SEGMENTS[e.host!]?.[e.iface!] === 'lan2');
    const asEpoch = (t: number): string => `${Math.floor(t / 1e9)}.${String(t % 1e9).padStart(9, '0')}`;
    expect(times).toEqual(sent.map((e) => asEpoch(e.t)));
  });
});
