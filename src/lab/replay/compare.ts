import type { ReplayRecord } from './Replay.ts';

/** One way a replay differs from a kernel's recording. */
export interface ReplayMismatch {
  step: number;
  what: 'decision' | 'counts' | 'list';
  expected: string;
  got: string;
}

export interface ReplayComparison {
  /** Decisions compared (opens), counts compared (opens and weight changes), list dumps compared. */
  decisions: number;
  counts: number;
  lists: number;
  mismatches: ReplayMismatch[];
}

/**
 * Compares a replay with a golden recording, record by record in step order: the real server of every open
 * (the kernel's decision), the /proc/net/ip_vs counts after every open and weight change (in kernel list order),
 * and every `list` dump byte for byte. Other dumps (stats, connections) depend on TCP details and hash order
 * and are reported, not compared.
 */
export function compareReplay(got: readonly ReplayRecord[], goldenJsonl: string): ReplayComparison {
  const golden = goldenJsonl
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ReplayRecord);
  const key = (r: ReplayRecord) => `${r.type}:${String(r.step)}:${String(r.what ?? '')}`;
  const mine = new Map(got.map((r) => [key(r), r]));
  const res: ReplayComparison = { decisions: 0, counts: 0, lists: 0, mismatches: [] };
  for (const g of golden) {
    const step = typeof g.step === 'number' ? g.step : -1;
    if (g.type === 'open' || g.type === 'weight') {
      const m = mine.get(key(g));
      if (g.type === 'open') {
        res.decisions++;
        const exp = String(g.rs);
        const gotRs = m ? String(m.rs) : 'no record';
        if (exp !== gotRs) res.mismatches.push({ step, what: 'decision', expected: exp, got: gotRs });
      }
      res.counts++;
      const ec = JSON.stringify(Object.entries((g.counts ?? {}) as object));
      const gc = m ? JSON.stringify(Object.entries((m.counts ?? {}) as object)) : 'no record';
      if (ec !== gc) res.mismatches.push({ step, what: 'counts', expected: ec, got: gc });
    } else if (g.type === 'dump' && g.what === 'list') {
      res.lists++;
      const m = mine.get(key(g));
      const gt = m ? String(m.text) : 'no record';
      if (gt !== g.text) res.mismatches.push({ step, what: 'list', expected: String(g.text), got: gt });
    }
  }
  return res;
}
