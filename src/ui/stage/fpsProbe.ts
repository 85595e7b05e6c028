import type { TopologyStage } from './TopologyStage.ts';
import type { SyntheticLoad } from './syntheticLoad.ts';

/** What one measurement saw. */
export interface FpsResult {
  readonly inFlight: number;
  /** Animation frames per second over the measured window. */
  readonly fps: number;
  readonly frames: number;
  readonly ms: number;
  /** Packets the stage drew in its last render (checks that the load really was on screen). */
  readonly drawn: number;
  /** Stage renders during the window (at most one per animation frame). */
  readonly renders: number;
}

/**
 * Plays a synthetic load on a stage and counts animation frames for `ms` of wall time after a `warmupMs`
 * warm-up (pool growth, first texture uploads). Each frame shows the next moment of the load, as playback
 * would, so every frame re-places every packet. Browser only (requestAnimationFrame, performance.now).
 */
export function measureFps(stage: TopologyStage, load: SyntheticLoad, ms = 3000, warmupMs = 500): Promise<FpsResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let measuring = false;
    let frames = 0;
    let start = 0;
    let renders0 = 0;
    const tick = (now: number): void => {
      stage.show(load.timeAt(now - t0), load.events);
      if (!measuring && now - t0 >= warmupMs) {
        measuring = true;
        start = now;
        renders0 = stage.stats.renders;
      } else if (measuring) {
        frames++;
        if (now - start >= ms) {
          const elapsed = now - start;
          resolve({ inFlight: load.inFlight, fps: (frames * 1000) / elapsed, frames, ms: elapsed, drawn: stage.stats.packets, renders: stage.stats.renders - renders0 });
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
