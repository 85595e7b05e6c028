import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareReplay, parseExperiment, replayExperiment } from '../../src/lab/index.ts';

/**
 * Every experiment recorded on a real Linux 6.1 kernel's IPVS (../shared/reference/oracle), replayed through
 * the whole simulation (client TCP, director, real servers): every scheduling decision, every
 * /proc/net/ip_vs count and every `ipvsadm -L -n` listing must match the kernel's.
 */
const ORACLE = new URL('../../../shared/reference/oracle/', import.meta.url).pathname;
const experiments = readdirSync(join(ORACLE, 'experiments'))
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('IPVS oracle replay', () => {
  it('has experiments to replay', () => {
    expect(experiments.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of experiments) {
    const name = file.replace(/\.json$/, '');
    it(`${name}: every decision, count and listing matches the kernel`, () => {
      const e = parseExperiment(readFileSync(join(ORACLE, 'experiments', file), 'utf8'), file);
      const records = replayExperiment(e);
      const c = compareReplay(records, readFileSync(join(ORACLE, 'golden', `${name}.jsonl`), 'utf8'));
      expect(c.decisions).toBeGreaterThan(0);
      expect(c.mismatches.slice(0, 5)).toEqual([]);
    });
  }
});
