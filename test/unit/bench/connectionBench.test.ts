import { describe, expect, it } from 'vitest';
import { benchConnections } from '../../../src/bench/connectionMemory.ts';
import { formatResults } from '../../../src/bench/report.ts';
import { benchResults } from './benchResultsFixture.ts';

// Small sizes: these check that the connection-table benchmark measures what it says, not how fast it is.
describe('connection table benchmark', () => {
  it('fills the table, finds every entry from both sides, and gives plausible figures', () => {
    const f = benchConnections(20_000, 1);
    expect(f.connections).toBe(20_000);
    // An entry is at least its fields; far more would mean per-entry garbage or a leak.
    expect(f.bytesPerConnection).toBeGreaterThan(64);
    expect(f.bytesPerConnection).toBeLessThan(2_000);
    for (const x of [f.createsPerSecond, f.lookupsPerSecond, f.replyLookupsPerSecond]) expect(x).toBeGreaterThan(0);
  });

  it('prints its figures among the others', () => {
    const r = benchResults({
      connectionTable: { connections: 1_000_000, bytesPerConnection: 172.25, collected: true, createsPerSecond: 1_234_567, lookupsPerSecond: 2_000_000, replyLookupsPerSecond: 1_500_000 },
    });
    const text = formatResults(r);
    expect(text).toMatch(/connection table: memory\s+172\.3 bytes\/conn\s+1,000,000 connections, after full GC\n/);
    expect(text).toMatch(/ create\s+1,234,567 conns\/s/);
    expect(text).toMatch(/lookup, client side\s+2,000,000 lookups\/s/);
    expect(text).toMatch(/lookup, NAT reply\s+1,500,000 lookups\/s/);
  });
});
