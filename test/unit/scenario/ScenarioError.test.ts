import { describe, expect, it } from 'vitest';
import { ScenarioError, scenarioErrorAt } from '../../../src/scenario/ScenarioError.ts';

describe('ScenarioError', () => {
  it('formats FILE:LINE:COLUMN: PATH: expected EXPECTED, got GOT', () => {
    const e = new ScenarioError('lab.yaml', { line: 12, column: 18 }, 'hosts.rs1.interfaces.eth0.segment', 'a segment declared under segments: lan', '"lam"');
    expect(e.message).toBe('lab.yaml:12:18: hosts.rs1.interfaces.eth0.segment: expected a segment declared under segments: lan, got "lam"');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScenarioError');
    expect([e.file, e.line, e.column, e.path, e.expected, e.got]).toEqual(['lab.yaml', 12, 18, 'hosts.rs1.interfaces.eth0.segment', 'a segment declared under segments: lan', '"lam"']);
    expect(e.pos).toEqual({ line: 12, column: 18 });
  });

  it('leaves out ", got" when nothing was got, and names the document for an empty path', () => {
    expect(new ScenarioError('a.yaml', { line: 1, column: 1 }, '', 'valid YAML').message).toBe('a.yaml:1:1: (document): expected valid YAML');
  });

  it('stays on one line and clips long values', () => {
    const e = new ScenarioError('we\nird.yaml', { line: 1, column: 2 }, 'x', 'a\nb', 'y'.repeat(500));
    expect(e.message).not.toMatch(/[\r\n]/);
    expect(e.message.length).toBeLessThan(140);
    expect(e.message.endsWith('…')).toBe(true);
    expect(e.got).toHaveLength(500);
  });

  it('scenarioErrorAt builds the same error from a recorded position', () => {
    const e = scenarioErrorAt('lab.yaml', { line: 33, column: 9 }, 'hosts.rs1.commands[0]', 'a command that succeeds', 'Error: inet prefix is expected rather than "x".');
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.message).toBe('lab.yaml:33:9: hosts.rs1.commands[0]: expected a command that succeeds, got Error: inet prefix is expected rather than "x".');
  });
});
