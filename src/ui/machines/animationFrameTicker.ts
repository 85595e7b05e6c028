import { fromCallback, type EventObject } from 'xstate';

/**
 * The page's ticker for the playback machine: one TICK per animation frame with the wall time since the
 * previous frame, while the machine is playing (the machine invokes it only then, and stopping it cancels the
 * pending frame). Frames longer than `maxFrameMs` (a background tab, a breakpoint) count as that long, so
 * coming back to the page does not leap the simulation forward.
 */
export function animationFrameTicker(maxFrameMs = 100) {
  return fromCallback<EventObject>(({ sendBack }) => {
    let last: number | undefined;
    let handle = requestAnimationFrame(function frame(now: number) {
      if (last !== undefined) sendBack({ type: 'TICK', wallMs: Math.min(maxFrameMs, now - last) });
      last = now;
      handle = requestAnimationFrame(frame);
    });
    return () => cancelAnimationFrame(handle);
  });
}
