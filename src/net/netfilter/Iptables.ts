import type { Host } from '../Host.ts';

/** Placeholder replaced by the iptables engine (filter, nat with conntrack, mangle MARK). */
export class Iptables {
  constructor(readonly host: Host) {}
}
