import type { Frame } from '../../wire/index.ts';

/**
 * One cable between an interface and its segment's switch, seen from the interface: `send` puts a frame into
 * the cable's outbound queue; the cable calls the interface's receive callback when a frame arrives.
 */
export interface Port {
  /** Queue a frame for transmission; returns false when the queue was full (the caller traces the drop). */
  send(frame: Frame): boolean;
  /** Whether the cable is connected (a link-down fault unplugs it). */
  readonly carrier: boolean;
}
