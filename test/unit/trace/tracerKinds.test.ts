import { describe, expect, it } from 'vitest';
import { fairnessScenario, Lab, workloadsByName } from '../../../src/lab/index.ts';
import { CallbackSink, Tracer, type TraceEvent } from '../../../src/trace/index.ts';

describe('sinks that name their kinds', () => {
  it('get only those kinds; packet-level kinds are built only when some sink reads them', () => {
    const tracer = new Tracer(() => 0);
    const faults: TraceEvent[] = [];
    const faultSink = new CallbackSink((e) => faults.push(e), new Set(['fault'] as const));
    tracer.attach(faultSink);
    expect(tracer.enabled).toBe(true);
    expect(tracer.packets).toBe(false);
    expect(tracer.wants('fault')).toBe(true);
    expect(tracer.wants('tx')).toBe(false);
    tracer.emit({ kind: 'fault', host: 'h', fault: 'crash' });
    tracer.emit({ kind: 'link', host: 'h', iface: 'eth0', state: 'up' });
    expect(faults.map((e) => e.kind)).toEqual(['fault']);
    const all = new CallbackSink(() => {});
    tracer.attach(all);
    expect(tracer.packets).toBe(true);
    tracer.detach(all);
    expect(tracer.packets).toBe(false);
    tracer.attach(new CallbackSink(() => {}, new Set(['rx'] as const)));
    expect(tracer.packets).toBe(true);
  });

  it('a run listening to a few kinds sees the same events of those kinds as a fully traced run', () => {
    const text = fairnessScenario({ scheduler: 'wlc', workload: workloadsByName().get('equal')!, seed: 4, seconds: 0.2 });
    const strip = ({ seq: _seq, ...rest }: TraceEvent) => rest;
    const full = Lab.fromText(text);
    full.run();
    const wanted = full.events.filter((e) => e.kind === 'app' || e.kind === 'ipvs').map(strip);
    const light = Lab.fromText(text, { record: false });
    const seen: TraceEvent[] = [];
    let frames = 0;
    light.onEvent((e) => seen.push(e), ['app', 'ipvs']);
    light.onFrame(() => frames++);
    light.run();
    expect(wanted.length).toBeGreaterThan(100);
    expect(seen.map(strip)).toEqual(wanted);
    expect(frames).toBeGreaterThan(1000);
  });
});
