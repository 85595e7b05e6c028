import { describe, expect, it } from 'vitest';
import { Lab, SECOND, MS } from '../../../src/lab/index.ts';
import { toJsonl, type TraceEvent } from '../../../src/trace/index.ts';
import { LabDriver } from '../../../src/ui/machines/labDriver.ts';
import { scenarioText } from './lessonTraces.ts';

const DR = scenarioText('lessons/dr-basic');
const RS1_MAC = '02:00:00:00:01:02';

function upTo(events: readonly TraceEvent[], t: number): string {
  return toJsonl(events.filter((e) => e.t <= t));
}

/** SYNs the director sent on to rs1 after time t. */
function synsToRs1After(events: readonly TraceEvent[], t: number): number {
  return events.filter((e) => e.kind === 'tx' && e.host === 'director' && e.t > t && e.pkt.eth?.dst === RS1_MAC && e.pkt.tcp?.flags === 'S').length;
}

describe('LabDriver', () => {
  it('stops quietly at a resource limit and says why, instead of throwing into the page', () => {
    const d = new LabDriver(DR, { maxEvents: 300 });
    expect(() => d.runTo(3 * SECOND)).not.toThrow();
    expect(d.stoppedBy?.limit).toBe('maxEvents');
    expect(d.now()).toBeLessThan(3 * SECOND);
    const at = d.events().length;
    expect(d.runToNextEvent()).toBe(false);
    d.runTo(4 * SECOND);
    expect(d.events().length).toBe(at);
  });

  it('re-simulates the same trace after a restart, equal to a plain run', () => {
    const plain = Lab.fromText(DR);
    plain.run(1500 * MS);
    const d = new LabDriver(DR);
    d.runTo(1500 * MS);
    const first = toJsonl(d.events());
    expect(first).toBe(plain.traceJsonl());
    const before = d.current;
    d.restart();
    expect(d.current).not.toBe(before);
    // A fresh run: only what building the scenario traced (its time-0 commands).
    expect(d.now()).toBe(0);
    expect(d.events().every((e) => e.t === 0)).toBe(true);
    d.runTo(700 * MS);
    d.runTo(1500 * MS);
    expect(toJsonl(d.events())).toBe(first);
  });

  it('replays a typed command at the time it was typed, so going back and forth keeps its effect', () => {
    const d = new LabDriver(DR);
    d.runTo(1100 * MS);
    let output = '';
    d.runCommand('director', 'ipvsadm -e -t 192.168.1.110:80 -r 192.168.1.2:80 -g -w 0', (r) => (output = r.output));
    expect(output).toBe('');
    d.runTo(3 * SECOND);
    const typed = toJsonl(d.events());
    // Without the command rr sends two of the four connections to rs1; with weight 0 it sends none after 1.1 s.
    const plain = Lab.fromText(DR);
    plain.run(3 * SECOND);
    expect(synsToRs1After(plain.events, 1100 * MS)).toBeGreaterThan(0);
    expect(synsToRs1After(d.events(), 1100 * MS)).toBe(0);
    expect(d.journal).toEqual([{ t: 1100 * MS, host: 'director', line: 'ipvsadm -e -t 192.168.1.110:80 -r 192.168.1.2:80 -g -w 0' }]);

    d.restart();
    d.runTo(500 * MS);
    expect(upTo(d.events(), 500 * MS)).toBe(upTo(plain.events, 500 * MS));
    d.runTo(3 * SECOND);
    expect(toJsonl(d.events())).toBe(typed);
  });

  it('steps to the next trace event, and says when none can come before the end', () => {
    const d = new LabDriver(DR);
    d.runTo(0);
    const n = d.events().length;
    expect(d.runToNextEvent()).toBe(true);
    expect(d.events().length).toBeGreaterThan(n);
    d.runTo(d.duration);
    const m = d.events().length;
    expect(d.runToNextEvent()).toBe(false);
    expect(d.events().length).toBe(m);
  });
});
