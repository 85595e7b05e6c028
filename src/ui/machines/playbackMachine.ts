import { assertEvent, assign, fromCallback, setup, type EventObject } from 'xstate';
import type { TraceEvent } from '../../trace/index.ts';
import { PacketIndex } from '../viewmodel/packetJourney.ts';
import type { SegmentOf } from '../viewmodel/topology.ts';

/**
 * Playback of a simulation in the browser: paused, playing or finished; play and pause, step to the next trace
 * event or back to the previous one, or to the next hop of the selected packet, change speed (slow motion to fast-forward), seek to any time
 * (backwards by re-simulating from a fresh Lab of the same text and seed) and jump to narration steps.
 *
 * What is shown is a position in the trace: `time` (simulated ns) and `cursor` (the events shown are
 * `events()[0, cursor)`: all of those before `time`, and some or all of those at `time`, since a step shows
 * one event at a time). The stage, the inspector and the text list read the trace up to the cursor.
 *
 * The machine holds no DOM and no clock of its own. Time passes through an injected ticker actor (`ticker`,
 * invoked only while playing) that sends `TICK { wallMs }`; the page provides one driven by
 * requestAnimationFrame (animationFrameTicker.ts), tests a hand-cranked one. The simulation is an injected
 * PlaybackDriver (LabDriver in the page). The driver is a running simulation, mutable by nature: the assign
 * actions call it and store what it reports, so the machine is meant to run as an actor (createActor), never
 * through xstate's pure `transition()`, which would run the simulation speculatively.
 *
 * The simulation runs `lookahead` ns ahead of the shown time, so that a frame on a cable at the shown time has
 * its arrival in the trace already (FlightIndex needs both ends to place it). Panels that query the Lab see it
 * at most that far ahead, and a command typed runs at the Lab's time.
 */

/** The simulation as the playback sees it. */
export interface PlaybackDriver {
  readonly duration: number;
  /** The trace so far; a new array after `restart`. */
  events(): readonly TraceEvent[];
  /** The simulated time the simulation has reached. */
  now(): number;
  /** Runs the simulation to t (no-op if it is there already). */
  runTo(t: number): void;
  /** Runs until at least one more trace event is recorded; false when none can come before the end. */
  runToNextEvent(): boolean;
  /** Starts again from the beginning: same text, same seed, same typed commands. */
  restart(): void;
}

export interface PlaybackInput {
  driver: PlaybackDriver;
  /** Interface → segment (topology's segmentLookup): the packet index matches frames with it. */
  segmentOf: SegmentOf;
  /** Simulated seconds per wall second; default 1. */
  speed?: number;
  minSpeed?: number;
  maxSpeed?: number;
  /** ns the simulation runs ahead of the shown time; default 20 ms. */
  lookahead?: number;
}

export interface PlaybackContext {
  readonly driver: PlaybackDriver;
  readonly segmentOf: SegmentOf;
  readonly duration: number;
  /** The shown simulated time, ns. */
  readonly time: number;
  /** Events shown: events()[0, cursor). */
  readonly cursor: number;
  readonly speed: number;
  readonly minSpeed: number;
  readonly maxSpeed: number;
  readonly lookahead: number;
  /** Fractional ns carried from one tick to the next, so very slow motion still advances. */
  readonly carry: number;
  /** The packet STEP_HOP follows. */
  readonly selectedPid?: number;
  /** Incremented by every re-simulation: indexes built over events() must be rebuilt. */
  readonly generation: number;
}

export type PlaybackEvent =
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  | { type: 'TICK'; wallMs: number }
  | { type: 'STEP' }
  | { type: 'STEP_BACK' }
  | { type: 'STEP_HOP' }
  | { type: 'SELECT'; pid: number | undefined }
  | { type: 'SEEK'; t: number }
  | { type: 'SPEED'; speed: number }
  | { type: 'JUMP_NARRATION'; step: number }
  | { type: 'JUMP_NARRATION'; direction: 'next' | 'prev' };

export const DEFAULT_MIN_SPEED = 1 / 1000;
export const DEFAULT_MAX_SPEED = 1000;
export const DEFAULT_LOOKAHEAD = 20_000_000;
const NS_PER_MS = 1_000_000;

type Update = Partial<Pick<PlaybackContext, 'time' | 'cursor' | 'generation' | 'carry'>>;

export const playbackMachine = setup({
  types: {
    context: {} as PlaybackContext,
    events: {} as PlaybackEvent,
    input: {} as PlaybackInput,
  },
  actors: {
    // Replaced by the page (requestAnimationFrame) or a test (by hand): sends TICK while playing.
    ticker: fromCallback<EventObject>(() => undefined),
  },
  guards: {
    atEnd: ({ context }) => context.time >= context.duration,
  },
  actions: {
    prime: assign(({ context }) => goTo(context, context.time)),
    tick: assign(({ context, event }) => {
      assertEvent(event, 'TICK');
      return tick(context, event.wallMs);
    }),
    step: assign(({ context }) => step(context)),
    stepBack: assign(({ context }) => stepBack(context)),
    stepHop: assign(({ context }) => stepHop(context)),
    seek: assign(({ context, event }) => {
      assertEvent(event, 'SEEK');
      return goTo(context, event.t);
    }),
    rewind: assign(({ context }) => goTo(context, 0)),
    jump: assign(({ context, event }) => {
      assertEvent(event, 'JUMP_NARRATION');
      return jumpToNarration(context, 'step' in event ? event.step : event.direction);
    }),
    setSpeed: assign(({ context, event }) => {
      assertEvent(event, 'SPEED');
      return { speed: Math.min(context.maxSpeed, Math.max(context.minSpeed, event.speed)) };
    }),
    select: assign(({ event }) => {
      assertEvent(event, 'SELECT');
      return { selectedPid: event.pid };
    }),
  },
}).createMachine({
  id: 'playback',
  context: ({ input }) => ({
    driver: input.driver,
    segmentOf: input.segmentOf,
    duration: input.driver.duration,
    time: 0,
    cursor: 0,
    speed: input.speed ?? 1,
    minSpeed: input.minSpeed ?? DEFAULT_MIN_SPEED,
    maxSpeed: input.maxSpeed ?? DEFAULT_MAX_SPEED,
    lookahead: input.lookahead ?? DEFAULT_LOOKAHEAD,
    carry: 0,
    generation: 0,
  }),
  entry: 'prime',
  initial: 'paused',
  on: {
    SPEED: { actions: 'setSpeed' },
    SELECT: { actions: 'select' },
  },
  states: {
    paused: {
      always: { guard: 'atEnd', target: 'finished' },
      on: {
        PLAY: 'playing',
        TOGGLE: 'playing',
        STEP: { actions: 'step' },
        STEP_BACK: { actions: 'stepBack' },
        STEP_HOP: { actions: 'stepHop' },
        SEEK: { actions: 'seek' },
        JUMP_NARRATION: { actions: 'jump' },
      },
    },
    playing: {
      invoke: { src: 'ticker' },
      always: { guard: 'atEnd', target: 'finished' },
      on: {
        PAUSE: 'paused',
        TOGGLE: 'paused',
        TICK: { actions: 'tick' },
        // Stepping is looking closely: it stops the clock.
        STEP: { target: 'paused', actions: 'step' },
        STEP_BACK: { target: 'paused', actions: 'stepBack' },
        STEP_HOP: { target: 'paused', actions: 'stepHop' },
        SEEK: { actions: 'seek' },
        JUMP_NARRATION: { actions: 'jump' },
      },
    },
    finished: {
      on: {
        STEP_BACK: { target: 'paused', actions: 'stepBack' },
        // Play at the end plays again from the start.
        PLAY: { target: 'playing', actions: 'rewind' },
        TOGGLE: { target: 'playing', actions: 'rewind' },
        SEEK: { target: 'paused', actions: 'seek' },
        JUMP_NARRATION: { target: 'paused', actions: 'jump' },
      },
    },
  },
});

/**
 * Shows time t: backwards means a fresh simulation (the Lab cannot run backwards); then the simulation runs to
 * t + lookahead, and the cursor covers every event at or before t (or stops just after event `seq`).
 */
function goTo(ctx: PlaybackContext, target: number, seq?: number): Update {
  const t = Math.min(ctx.duration, Math.max(0, Math.round(target)));
  let generation = ctx.generation;
  if (t < ctx.time) {
    ctx.driver.restart();
    generation++;
  }
  ctx.driver.runTo(Math.min(ctx.duration, t + ctx.lookahead));
  const events = ctx.driver.events();
  const at = seq !== undefined ? indexOfSeq(events, seq) : -1;
  const cursor = at >= 0 ? at + 1 : upperBoundTime(events, t);
  return { time: t, cursor, generation, carry: 0 };
}

function tick(ctx: PlaybackContext, wallMs: number): Update {
  const exact = Math.max(0, wallMs) * NS_PER_MS * ctx.speed + ctx.carry;
  const dt = Math.floor(exact);
  const t = Math.min(ctx.duration, ctx.time + dt);
  ctx.driver.runTo(Math.min(ctx.duration, t + ctx.lookahead));
  return { time: t, cursor: upperBoundTime(ctx.driver.events(), t), carry: t === ctx.duration ? 0 : exact - dt };
}

/** The next trace event, whatever it is; at the end of the trace, runs the simulation until one comes. */
function step(ctx: PlaybackContext): Update {
  if (ctx.cursor >= ctx.driver.events().length && !ctx.driver.runToNextEvent()) {
    ctx.driver.runTo(ctx.duration);
    return { time: ctx.duration, cursor: upperBoundTime(ctx.driver.events(), ctx.duration), carry: 0 };
  }
  const shown = ctx.driver.events()[ctx.cursor];
  ctx.driver.runTo(Math.min(ctx.duration, shown.t + ctx.lookahead));
  return { time: shown.t, cursor: ctx.cursor + 1, carry: 0 };
}

/**
 * Back to the previous event: from a time after the last event shown (playing stopped between events), to the
 * moment of that event; from the moment of an event, the inverse of `step` (that event is hidden again). Within
 * the same time only the cursor moves; to an earlier time the simulation starts again (goTo).
 */
function stepBack(ctx: PlaybackContext): Update {
  const events = ctx.driver.events();
  const last = ctx.cursor > 0 ? events[ctx.cursor - 1] : undefined;
  if (last !== undefined && last.t < ctx.time) return goTo(ctx, last.t, last.seq);
  if (ctx.cursor <= 1) return { ...goTo(ctx, 0), cursor: 0 };
  const previous = events[ctx.cursor - 2];
  return goTo(ctx, previous.t, previous.seq);
}

/**
 * The next hop (tx, rx, drop, delivery) of the selected packet's journey after the last event shown,
 * following it across NAT and tunnels; the simulation runs on until there is one, or to the end. No packet
 * selected, or no further hop: nothing changes.
 */
function stepHop(ctx: PlaybackContext): Update {
  if (ctx.selectedPid === undefined) return {};
  const events = ctx.driver.events();
  const index = new PacketIndex(ctx.segmentOf).addAll(events);
  let indexed = events.length;
  const after = ctx.cursor > 0 ? events[ctx.cursor - 1].seq : -1;
  for (;;) {
    const hop = index.journey(ctx.selectedPid)?.hops.find((h) => h.seq > after);
    if (hop !== undefined) return goTo(ctx, hop.t, hop.seq);
    if (!ctx.driver.runToNextEvent()) return {};
    const now = ctx.driver.events();
    for (; indexed < now.length; indexed++) index.add(now[indexed]);
  }
}

/** To narration step n, or the next or previous one from what is shown; runs on to find one not yet shown. */
function jumpToNarration(ctx: PlaybackContext, which: number | 'next' | 'prev'): Update {
  let events = ctx.driver.events();
  if (which === 'prev') {
    const shown: TraceEvent[] = [];
    for (let i = 0; i < ctx.cursor; i++) if (events[i].kind === 'narration') shown.push(events[i]);
    const target = shown[shown.length - 2];
    return target !== undefined ? goTo(ctx, target.t, target.seq) : {};
  }
  const matches = (e: TraceEvent): boolean => e.kind === 'narration' && (which === 'next' || e.step === which);
  let i = which === 'next' ? ctx.cursor : 0;
  for (;;) {
    for (; i < events.length; i++) if (matches(events[i])) return goTo(ctx, events[i].t, events[i].seq);
    if (!ctx.driver.runToNextEvent()) return {};
    events = ctx.driver.events();
  }
}

/** How many events have t ≤ time (events are in time order). */
export function upperBoundTime(events: readonly TraceEvent[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].t <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the event with sequence number seq (seq grows along the trace); -1 if absent. */
function indexOfSeq(events: readonly TraceEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < events.length && events[lo].seq === seq ? lo : -1;
}
