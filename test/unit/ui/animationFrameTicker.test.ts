import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { animationFrameTicker } from '../../../src/ui/machines/animationFrameTicker.ts';
import { LabDriver } from '../../../src/ui/machines/labDriver.ts';
import { playbackMachine } from '../../../src/ui/machines/playbackMachine.ts';
import { buildTopology, segmentLookup } from '../../../src/ui/viewmodel/topology.ts';
import { scenarioText } from './lessonTraces.ts';

/** requestAnimationFrame by hand: `frame(ms)` runs the callbacks pending at that moment, as a browser frame does. */
function handFrames() {
  const pending = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    pending.set(next, cb);
    return next++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => pending.delete(id));
  return {
    pending,
    frame(now: number): void {
      const due = [...pending.values()];
      pending.clear();
      for (const cb of due) cb(now);
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

function playing(speed: number) {
  const driver = new LabDriver(scenarioText('examples/two-hosts-ping'));
  const segmentOf = segmentLookup(buildTopology(driver.current.spec));
  const actor = createActor(playbackMachine.provide({ actors: { ticker: animationFrameTicker() } }), { input: { driver, segmentOf, speed } }).start();
  actor.send({ type: 'PLAY' });
  return actor;
}

describe('animationFrameTicker', () => {
  it('asks for no more frames once the TICK it sent ended the playback (the loop must not outlive it)', () => {
    const frames = handFrames();
    const actor = playing(1000);
    let now = 0;
    for (let i = 0; i < 1000 && actor.getSnapshot().value === 'playing'; i++) frames.frame((now += 16));
    expect(actor.getSnapshot().value).toBe('finished');
    // The frame that reached the end was the last: nothing pending, and the page's frames go on without it.
    expect(frames.pending.size).toBe(0);
    actor.stop();
  });

  it('pausing between frames cancels the pending frame; playing again starts one loop', () => {
    const frames = handFrames();
    const actor = playing(1e-3);
    frames.frame(16);
    frames.frame(32);
    expect(frames.pending.size).toBe(1);
    actor.send({ type: 'PAUSE' });
    expect(frames.pending.size).toBe(0);
    actor.send({ type: 'PLAY' });
    frames.frame(48);
    expect(frames.pending.size).toBe(1);
    actor.stop();
    expect(frames.pending.size).toBe(0);
  });
});
