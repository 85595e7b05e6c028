// The browser lab's state machines (xstate v5) and what they drive.
export {
  playbackMachine,
  upperBoundTime,
  DEFAULT_LOOKAHEAD,
  DEFAULT_MAX_SPEED,
  DEFAULT_MIN_SPEED,
  type PlaybackDriver,
  type PlaybackInput,
  type PlaybackContext,
  type PlaybackEvent,
} from './playbackMachine.ts';
export { LabDriver, type JournalEntry } from './labDriver.ts';
export { animationFrameTicker } from './animationFrameTicker.ts';
