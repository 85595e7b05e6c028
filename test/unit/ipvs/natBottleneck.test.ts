import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';

/**
 * The NAT director bottleneck, out of the model: the same director CPU (60 µs per packet) and the same offered
 * load (1000 requests/s of 20 KB responses) saturate it under NAT, where every reply packet crosses it too,
 * and not under DR, where only requests do.
 */
function offered(file: string, vip: string): Lab {
  const text = readFileSync(new URL(`../../../scenarios/lessons/${file}`, import.meta.url), 'utf8')
    .replace(/^duration: .*$/m, 'duration: 3s')
    .replace(/response: 1KB/g, 'response: 20KB')
    .replace(/^traffic:\n(  - .*\n)+/m, `traffic:\n  - { at: 500ms, from: client, to: ${vip}:80, request: 100B, count: 1000, interval: 1ms }\n`)
    .replace(/^expect:\n[\s\S]*$/m, '');
  const lab = Lab.fromText(text, { file });
  lab.run();
  return lab;
}

describe('the NAT director bottleneck', () => {
  it('saturates a NAT director at a load a DR director carries', () => {
    const nat = offered('nat-basic.yaml', '10.0.0.100');
    const dr = offered('dr-basic.yaml', '192.168.1.110');
    const responses = (lab: Lab) => lab.events.filter((e) => e.kind === 'app' && e.event === 'response').length;
    const n = nat.ipvsCounters('director')!;
    const d = dr.ipvsCounters('director')!;
    // NAT: replies cross the director too, so it handles about as many packets out as in; DR none out...
    expect(n.outPkts).toBeGreaterThan(n.inPkts / 2);
    expect(d.outPkts).toBe(0);
    // ...its CPU (60 µs a packet, ~16.7k packets/s) cannot keep up with 1000 requests/s of 20 KB...
    expect(n.cpuRefused).toBeGreaterThan(0);
    expect(nat.events.some((e) => e.kind === 'drop' && e.host === 'director' && e.reason === 'cpu-backlog')).toBe(true);
    // ...while the DR director, seeing only requests, carries every one of them.
    expect(d.cpuRefused).toBe(0);
    expect(responses(dr)).toBe(1000);
    expect(responses(nat)).toBeLessThan(responses(dr));
  });
});
