import { describe, expect, it } from 'vitest';
import { Lab } from '../../../src/lab/index.ts';
import { benchNatDirector, natDirectorScenario } from '../../../src/bench/natDirector.ts';

describe('NAT director benchmark', () => {
  it('sends every request and reply of every connection through the director', () => {
    const lab = Lab.fromText(natDirectorScenario(20, 200_000), { file: 'bench-nat.yaml' });
    lab.run();
    const c = lab.ipvsCounters('director')!;
    expect(c.conns).toBe(20);
    expect(lab.events.filter((e) => e.kind === 'app' && e.event === 'response')).toHaveLength(20);
    // Both directions cross the director (NAT), and its CPU model costs nothing here, so nothing waits or drops.
    expect(c.outPkts).toBeGreaterThan(c.inPkts / 2);
    expect(c.cpuRefused).toBe(0);
  });

  it('reports packets per second from a timed run', () => {
    const f = benchNatDirector(30, 1);
    expect(f.requests).toBe(30);
    expect(f.packets).toBeGreaterThan(30 * 10);
    expect(f.packetsPerSecond).toBeCloseTo(f.packets / f.seconds, 6);
  });
});
