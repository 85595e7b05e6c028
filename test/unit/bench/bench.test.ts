import { describe, expect, it } from 'vitest';
import { benchEventMemory } from '../../../src/bench/eventMemory.ts';
import { benchBatch, benchHold } from '../../../src/bench/eventQueue.ts';
import { hopScenario } from '../../../src/bench/packetHops.ts';
import { Lab } from '../../../src/lab/index.ts';

// Small sizes: these check that `npm run bench` measures what docs/benchmarks.md says, not how fast it is.
describe('benchmark workloads', () => {
  it('the hop scenario streams its pings through the router: four hops per echo, nothing dropped', () => {
    const pings = 40;
    const lab = Lab.fromText(hopScenario(pings), { file: 'bench-hops.yaml' });
    lab.run();
    const s = lab.summary();
    expect(s.drops).toEqual([]);
    const echo = (host: string, type: number): number => lab.events.filter((e) => e.kind === 'rx' && e.host === host && e.pkt.icmp?.type === type).length;
    // warm-up ping + the stream, each request forwarded once and answered once
    expect(echo('server', 8)).toBe(pings + 1);
    expect(echo('client', 0)).toBe(pings + 1);
    expect(echo('router', 8)).toBe(pings + 1);
    expect(echo('router', 0)).toBe(pings + 1);
    // the only other frames are the warm-up's ARP: two exchanges
    expect(s.framesReceived - 4 * (pings + 1)).toBe(lab.events.filter((e) => e.kind === 'rx' && e.pkt.arp !== undefined).length);
  });

  it('the event-queue benchmarks run every event they count', () => {
    const b = benchBatch(10_000, 1);
    expect(b.events).toBe(10_000);
    expect(b.perSecond).toBeGreaterThan(0);
    expect(b.perSecond).toBeLessThanOrEqual(Math.min(b.schedulePerSecond, b.dispatchPerSecond));
    expect(benchHold(100, 10_000, 1).perSecond).toBeGreaterThan(0);
  });

  it('memory per queued event is a positive number of bytes', () => {
    const m = benchEventMemory(100_000);
    expect(m.bytesPerEvent).toBeGreaterThan(16);
    expect(m.bytesPerEvent).toBeLessThan(1_000);
  });
});
