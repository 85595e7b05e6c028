import { Lab, type LabOptions } from '../lab/index.ts';
import { median, timeSeconds } from './clock.ts';
import { routedScenario } from './routedScenario.ts';

/** Gap between echo requests of the stream: 100 us, far below the path's capacity, so nothing queues or drops. */
const PING_INTERVAL = '0.0001';
const PING_INTERVAL_NS = 100_000;
/** Time for the warm-up ping to finish before the stream (its own RTT is tens of microseconds). */
const SLACK_NS = 1_000_000_000;

/**
 * client — lan1 — router — lan2 — server (routedScenario.ts). The client's script first pings once (the
 * warm-up: it resolves ARP on both segments), then sends `count` echo requests 100 us apart; the server
 * answers each. Every echo crosses four cables twice (host → switch → host, twice per direction), so each
 * exchange is four hops.
 */
export function hopScenario(count: number): string {
  const durationNs = SLACK_NS + count * PING_INTERVAL_NS + SLACK_NS;
  return routedScenario({
    name: 'bench — client, two switches, one router, server',
    seed: 1,
    duration: `${durationNs}ns`,
    clientCommands: ['ping -c 1 10.0.2.10', `ping -q -c ${count} -i ${PING_INTERVAL} 10.0.2.10`],
  });
}

export interface HopRun {
  /** Echo requests in the stream. */
  pings: number;
  /** Frames accepted by an interface (trace `rx` events) during the whole run, warm-up included. */
  hops: number;
  /** Frames interfaces started sending, counted by an onFrame tap (works with or without a trace). */
  framesSent: number;
  /** Wall-clock seconds of `lab.run()` (building the scenario is not counted). */
  seconds: number;
  hopsPerSecond: number;
  /** Trace events recorded; 0 when the run had no trace sink attached. */
  traceEvents: number;
}

export interface HopFigures {
  /** The run with the lab's in-memory trace, as the CLI and the browser run. */
  traced: HopRun;
  /**
   * The same scenario with no trace sink (LabOptions.record = false): the model's own speed, the median of
   * DETACHED_RUNS runs. Its hop count is the traced run's (same scenario, same seed, same frames: checked
   * through the frames-sent tap).
   */
  detached: HopRun;
}

/** Timed runs of the untraced scenario; the median is reported (each is short: the model alone is fast). */
const DETACHED_RUNS = 3;

function runOnce(pings: number, options: LabOptions): HopRun {
  const lab = Lab.fromText(hopScenario(pings), { file: 'bench-hops.yaml', ...options });
  let framesSent = 0;
  lab.onFrame(() => {
    framesSent++;
  });
  const seconds = timeSeconds(() => lab.run());
  const s = lab.summary();
  return { pings, hops: s.framesReceived, framesSent, seconds, hopsPerSecond: s.framesReceived / seconds, traceEvents: s.events };
}

/**
 * Packet hops per second. After warm-up runs (traced and untraced, so the JIT has compiled both paths), a
 * short calibration run picks the stream length that fills about `targetSeconds` of wall time traced (between
 * `minPings` and `maxPings`: the traced run keeps every event in memory), then the traced run and the
 * detached runs measure that same stream. A run whose pings did not all come back is an error: the figure
 * would then count a broken path, not the simulator.
 */
export function benchHops(targetSeconds: number, minPings: number, maxPings: number): HopFigures {
  // The first runs pay for the JIT compiling the model; timing them would make every later estimate too slow.
  checkComplete(runOnce(minPings, {}));
  runOnce(minPings, { record: false });
  const calibration = runOnce(minPings, {});
  checkComplete(calibration);
  const perPing = calibration.seconds / minPings;
  const pings = Math.max(minPings, Math.min(maxPings, Math.round(targetSeconds / perPing)));
  const traced = pings === minPings ? calibration : runOnce(pings, {});
  checkComplete(traced);
  const runs = Array.from({ length: DETACHED_RUNS }, () => runOnce(pings, { record: false }));
  for (const r of runs) {
    if (r.traceEvents !== 0) throw new Error(`the untraced run recorded ${r.traceEvents} trace events`);
    if (r.framesSent !== traced.framesSent) {
      throw new Error(`the untraced run sent ${r.framesSent} frames, the traced one ${traced.framesSent}: tracing changed the model`);
    }
  }
  const seconds = median(runs.map((r) => r.seconds));
  const detached: HopRun = { ...runs[0], seconds, hops: traced.hops, hopsPerSecond: traced.hops / seconds };
  return { traced, detached };
}

/** Each echo exchange is four hops; fewer means the stream did not get through (a drop or a failed ping). */
function checkComplete(r: HopRun): void {
  const expected = 4 * (r.pings + 1);
  if (r.hops < expected) {
    throw new Error(`the hop benchmark's pings did not all get through: ${r.hops} frames received, expected at least ${expected}`);
  }
}
