import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../src/cli/output/table.ts';
import { pcapFileName } from '../../../src/cli/output/pcapFiles.ts';

describe('formatTable', () => {
  it('pads columns to the widest cell, numbers right-aligned, no trailing spaces', () => {
    const t = formatTable([{ header: 'host' }, { header: 'tx', align: 'right' }], [['router', 12], ['c', 3456]], '  ');
    expect(t).toBe('  host      tx\n  router    12\n  c       3456\n');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => formatTable([{ header: 'a' }], [['x', 'y']])).toThrow(RangeError);
  });
});

describe('pcapFileName', () => {
  it('keeps a plain segment name and never lets a name leave the directory', () => {
    expect(pcapFileName('lan-1.a_b')).toBe('lan-1.a_b.pcap');
    expect(pcapFileName('../etc')).not.toContain('/');
    expect(pcapFileName('..')).not.toMatch(/^\.\./);
  });
});
