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
    let stopped = false;
    let handle = requestAnimationFrame(function frame(now: number) {
      if (last !== undefined) sendBack({ type: 'TICK', wallMs: Math.min(maxFrameMs, now - last) });
      last = now;
      // The TICK just sent may have stopped this ticker (it reached the end: the machine left `playing`), and
      // the stop could only cancel the frame now running: asking for another would keep the loop, and the
      // whole lesson it reaches, alive for good.
      if (!stopped) handle = requestAnimationFrame(frame);
    });
    return () => {
      stopped = true;
      cancelAnimationFrame(handle);
    };
  });
}
