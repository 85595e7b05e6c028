import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type EventObject } from 'xstate';
import { Lab, MS, SECOND } from '../../../src/lab/index.ts';
import { toJsonl, type TraceEvent } from '../../../src/trace/index.ts';
import { LabDriver } from '../../../src/ui/machines/labDriver.ts';
import { DEFAULT_LOOKAHEAD, playbackMachine, upperBoundTime } from '../../../src/ui/machines/playbackMachine.ts';
import { packetJourney } from '../../../src/ui/viewmodel/packetJourney.ts';
import { buildTopology, segmentLookup } from '../../../src/ui/viewmodel/topology.ts';
import { scenarioText } from './lessonTraces.ts';

/** A ticker cranked by hand: `tick` exists only while the machine runs it (while playing). */
function handTicker() {
  const hand: { tick?: (wallMs: number) => void; starts: number } = { starts: 0 };
  const logic = fromCallback<EventObject>(({ sendBack }) => {
    hand.starts++;
    hand.tick = (wallMs) => sendBack({ type: 'TICK', wallMs });
    return () => {
      hand.tick = undefined;
    };
  });
  return { hand, logic };
}

function start(name: string, speed?: number) {
  const text = scenarioText(name);
  const driver = new LabDriver(text);
  const segmentOf = segmentLookup(buildTopology(driver.current.spec));
  const { hand, logic } = handTicker();
  const actor = createActor(playbackMachine.provide({ actors: { ticker: logic } }), { input: { driver, segmentOf, ...(speed !== undefined ? { speed } : {}) } }).start();
  const reference = Lab.fromText(text);
  reference.run();
  return { actor, driver, hand, reference: reference.events, segmentOf };
}

const shown = (events: readonly TraceEvent[], cursor: number) => toJsonl(events.slice(0, cursor));

describe('playbackMachine', () => {
  it('starts paused at time 0, the simulation a lookahead ahead, the time-0 events shown', () => {
    const { actor, driver, hand } = start('lessons/dr-basic');
    const s = actor.getSnapshot();
    expect(s.value).toBe('paused');
    expect(s.context.time).toBe(0);
    expect(s.context.cursor).toBe(upperBoundTime(driver.events(), 0));
    expect(s.context.cursor).toBeGreaterThan(0);
    expect(driver.now()).toBe(DEFAULT_LOOKAHEAD);
    expect(hand.tick).toBeUndefined();
  });

  it('plays by wall time × speed through the ticker, which runs only while playing', () => {
    const { actor, driver, hand, reference } = start('lessons/dr-basic');
    actor.send({ type: 'PLAY' });
    expect(actor.getSnapshot().value).toBe('playing');
    hand.tick!(500);
    hand.tick!(600);
    let c = actor.getSnapshot().context;
    expect(c.time).toBe(1100 * MS);
    expect(driver.now()).toBe(1100 * MS + DEFAULT_LOOKAHEAD);
    expect(shown(driver.events(), c.cursor)).toBe(toJsonl(reference.filter((e) => e.t <= 1100 * MS)));
    actor.send({ type: 'TOGGLE' });
    expect(actor.getSnapshot().value).toBe('paused');
    expect(hand.tick).toBeUndefined();
    actor.send({ type: 'TICK', wallMs: 1000 }); // a stray tick while paused changes nothing
    expect(actor.getSnapshot().context.time).toBe(1100 * MS);

    actor.send({ type: 'SPEED', speed: 1e6 });
    expect(actor.getSnapshot().context.speed).toBe(1000);
    actor.send({ type: 'SPEED', speed: 0 });
    expect(actor.getSnapshot().context.speed).toBe(1 / 1000);
    actor.send({ type: 'PLAY' });
    expect(hand.starts).toBe(2);
    // Slow motion: 1.5 µs of wall time is 1.5 ns of simulated time; the halves add up instead of vanishing.
    for (let i = 0; i < 10; i++) hand.tick!(0.0015);
    c = actor.getSnapshot().context;
    expect(c.time).toBe(1100 * MS + 15);
  });

  it('finishes at the end, stops the ticker, and plays again from the start', () => {
    const { actor, driver, hand, reference } = start('lessons/dr-basic');
    actor.send({ type: 'PLAY' });
    hand.tick!(3000);
    hand.tick!(3000);
    let s = actor.getSnapshot();
    expect(s.value).toBe('finished');
    expect(s.context.time).toBe(driver.duration);
    expect(shown(driver.events(), s.context.cursor)).toBe(toJsonl(reference));
    expect(hand.tick).toBeUndefined();
    actor.send({ type: 'PLAY' });
    s = actor.getSnapshot();
    expect(s.value).toBe('playing');
    expect(s.context.time).toBe(0);
    expect(s.context.generation).toBe(1);
  });

  it('steps one trace event at a time, in trace order', () => {
    const { actor, driver, reference } = start('lessons/dr-basic');
    const from = actor.getSnapshot().context.cursor;
    for (let i = 1; i <= 40; i++) {
      actor.send({ type: 'STEP' });
      const c = actor.getSnapshot().context;
      expect(c.cursor).toBe(from + i);
      expect(c.time).toBe(reference[from + i - 1].t);
    }
    expect(shown(driver.events(), from + 40)).toBe(toJsonl(reference.slice(0, from + 40)));
    expect(actor.getSnapshot().context.time).toBeGreaterThan(0);
  });

  it('steps back one trace event at a time, the exact inverse of a step, re-simulating only when the time goes back', () => {
    const { actor, driver, reference } = start('lessons/dr-basic');
    const positions: Array<{ time: number; cursor: number }> = [];
    for (let i = 0; i < 60; i++) {
      const c = actor.getSnapshot().context;
      positions.push({ time: c.time, cursor: c.cursor });
      actor.send({ type: 'STEP' });
    }
    // Some steps stay at one time (events of the same nanosecond): stepping back over those must not re-simulate.
    let sameTimeSteps = 0;
    for (let i = positions.length - 1; i >= 0; i--) {
      const before = actor.getSnapshot().context;
      actor.send({ type: 'STEP_BACK' });
      const c = actor.getSnapshot().context;
      expect({ time: c.time, cursor: c.cursor }).toEqual(positions[i]);
      expect(c.time).toBe(reference[c.cursor - 1].t);
      expect(shown(driver.events(), c.cursor)).toBe(toJsonl(reference.slice(0, c.cursor)));
      if (c.time === before.time) {
        sameTimeSteps++;
        expect(c.generation).toBe(before.generation);
      } else expect(c.generation).toBe(before.generation + 1);
    }
    expect(sameTimeSteps).toBeGreaterThan(0);
    // Back from the first event: time 0, nothing shown; one more back changes nothing.
    while (actor.getSnapshot().context.cursor > 0) actor.send({ type: 'STEP_BACK' });
    expect(actor.getSnapshot().context.time).toBe(0);
    actor.send({ type: 'STEP_BACK' });
    expect(actor.getSnapshot().context).toMatchObject({ time: 0, cursor: 0 });
    expect(actor.getSnapshot().value).toBe('paused');
  });

  it('steps back from between two events to the moment of the last one shown, then one event at a time', () => {
    const { actor, driver, hand, reference } = start('lessons/dr-basic');
    actor.send({ type: 'PLAY' });
    hand.tick!(1000.5);
    actor.send({ type: 'PAUSE' });
    const here = actor.getSnapshot().context;
    const last = reference[here.cursor - 1];
    expect(last.t).toBeLessThan(here.time);
    actor.send({ type: 'STEP_BACK' });
    const c = actor.getSnapshot().context;
    expect({ time: c.time, cursor: c.cursor }).toEqual({ time: last.t, cursor: here.cursor });
    actor.send({ type: 'STEP_BACK' });
    expect(actor.getSnapshot().context.cursor).toBe(here.cursor - 1);
    expect(shown(driver.events(), here.cursor - 1)).toBe(toJsonl(reference.slice(0, here.cursor - 1)));
  });

  it('steps back from the end: to the last event, paused, then one event before it', () => {
    const { actor, driver, reference } = start('lessons/dr-basic');
    actor.send({ type: 'SEEK', t: 99 * SECOND });
    expect(actor.getSnapshot().value).toBe('finished');
    expect(actor.getSnapshot().context.cursor).toBe(reference.length);
    const lastT = reference[reference.length - 1].t;
    expect(lastT).toBeLessThan(actor.getSnapshot().context.duration);
    actor.send({ type: 'STEP_BACK' });
    expect(actor.getSnapshot().value).toBe('paused');
    expect(actor.getSnapshot().context).toMatchObject({ time: lastT, cursor: reference.length });
    actor.send({ type: 'STEP_BACK' });
    const c = actor.getSnapshot().context;
    expect(c.cursor).toBe(reference.length - 1);
    expect(shown(driver.events(), c.cursor)).toBe(toJsonl(reference.slice(0, -1)));
  });

  it('seeks backwards by re-simulating, and shows the same trace as before', () => {
    const { actor, driver, reference } = start('lessons/dr-basic');
    actor.send({ type: 'SEEK', t: 2 * SECOND });
    const at2 = actor.getSnapshot().context;
    expect(at2.generation).toBe(0);
    actor.send({ type: 'SEEK', t: 1200 * MS });
    const back = actor.getSnapshot().context;
    expect(back.generation).toBe(1);
    expect(back.time).toBe(1200 * MS);
    expect(driver.now()).toBe(1200 * MS + DEFAULT_LOOKAHEAD);
    expect(shown(driver.events(), back.cursor)).toBe(toJsonl(reference.filter((e) => e.t <= 1200 * MS)));
    // Seeking past the end clamps to it and finishes; seeking back from there pauses.
    actor.send({ type: 'SEEK', t: 99 * SECOND });
    expect(actor.getSnapshot().value).toBe('finished');
    actor.send({ type: 'SEEK', t: SECOND });
    expect(actor.getSnapshot().value).toBe('paused');
    expect(actor.getSnapshot().context.generation).toBe(2);
  });

  it('steps along the selected packet, hop by hop, across the director, and stops when it has no more', () => {
    const { actor, reference, segmentOf } = start('lessons/dr-basic');
    const syn = reference.find((e) => e.kind === 'tx' && e.host === 'client' && e.pkt.tcp?.flags === 'S');
    if (syn?.kind !== 'tx') throw new Error('no SYN');
    const journey = packetJourney(reference, syn.pkt.pid, segmentOf)!;
    actor.send({ type: 'STEP_HOP' }); // nothing selected: nothing happens
    expect(actor.getSnapshot().context.time).toBe(0);
    actor.send({ type: 'SELECT', pid: syn.pkt.pid });
    actor.send({ type: 'PLAY' });
    const seen: string[] = [];
    for (const _ of journey.hops) {
      actor.send({ type: 'STEP_HOP' });
      const s = actor.getSnapshot();
      expect(s.value).toBe('paused');
      const last = s.context.driver.events()[s.context.cursor - 1];
      seen.push(`${last.kind} ${last.host}/${last.iface}`);
      expect(s.context.time).toBe(last.t);
    }
    expect(seen).toEqual(journey.hops.map((h) => `${h.kind === 'deliver' ? 'route' : h.kind} ${h.host}/${h.iface}`));
    const end = actor.getSnapshot().context;
    actor.send({ type: 'STEP_HOP' });
    expect(actor.getSnapshot().context.cursor).toBe(end.cursor);
    expect(actor.getSnapshot().context.time).toBe(end.time);
  });

  it('jumps to narration steps, forwards by running on, backwards by re-simulating', () => {
    const { actor, reference } = start('lessons/health-check-failover');
    const narration = reference.filter((e) => e.kind === 'narration');
    expect(narration.length).toBeGreaterThanOrEqual(4);
    const at = () => {
      const c = actor.getSnapshot().context;
      const e = c.driver.events()[c.cursor - 1];
      return e.kind === 'narration' ? [e.step, c.time] : ['not a narration', c.time];
    };
    actor.send({ type: 'JUMP_NARRATION', step: 3 });
    expect(at()).toEqual([3, narration[3].t]);
    actor.send({ type: 'JUMP_NARRATION', direction: 'next' });
    expect(at()).toEqual([4, narration[4].t]);
    expect(actor.getSnapshot().context.generation).toBe(0);
    actor.send({ type: 'JUMP_NARRATION', direction: 'prev' });
    expect(at()).toEqual([3, narration[3].t]);
    expect(actor.getSnapshot().context.generation).toBe(1);
    actor.send({ type: 'JUMP_NARRATION', step: 99 }); // no such step: nothing moves
    expect(at()).toEqual([3, narration[3].t]);
  });
});
