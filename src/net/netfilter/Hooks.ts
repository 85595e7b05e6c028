import type { DropReason } from '../../trace/index.ts';
import type { Interface } from '../Interface.ts';
import type { Skb } from '../Skb.ts';

/** The five IPv4 hook points (include/uapi/linux/netfilter_ipv4.h). */
export type HookPoint = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** Hook priorities the kernel uses (enum nf_ip_hook_priorities). Lower runs first. */
export const NfPriority = {
  conntrack: -200,
  mangle: -150,
  natDst: -100,
  filter: 0,
  natSrc: 100,
} as const;

export type Verdict =
  | { kind: 'accept' }
  | { kind: 'drop'; reason: DropReason; detail?: string }
  /** The handler took the packet (IPVS transmits it itself). */
  | { kind: 'stolen' };

export const ACCEPT: Verdict = { kind: 'accept' };

export interface HookState {
  hook: HookPoint;
  inDev?: Interface;
  outDev?: Interface;
}

export interface HookHandler {
  readonly name: string;
  readonly priority: number;
  /** May replace skb.packet (NAT) or skb.mark (MARK) before returning its verdict. */
  fn(skb: Skb, state: HookState): Verdict;
}

/**
 * A host's netfilter hook chains: handlers sorted by priority (ties in registration order) and run until one
 * does not accept. The network layer knows hooks only; iptables and IPVS register handlers here.
 */
export class Hooks {
  private readonly chains = new Map<HookPoint, HookHandler[]>();

  register(hook: HookPoint, h: HookHandler): void {
    let c = this.chains.get(hook);
    if (!c) {
      c = [];
      this.chains.set(hook, c);
    }
    let i = c.length;
    while (i > 0 && c[i - 1].priority > h.priority) i--;
    c.splice(i, 0, h);
  }

  unregister(hook: HookPoint, name: string): void {
    const c = this.chains.get(hook);
    if (!c) return;
    const i = c.findIndex((h) => h.name === name);
    if (i >= 0) c.splice(i, 1);
  }

  run(hook: HookPoint, skb: Skb, inDev?: Interface, outDev?: Interface): Verdict {
    const c = this.chains.get(hook);
    if (!c || c.length === 0) return ACCEPT;
    const state: HookState = { hook, inDev, outDev };
    for (const h of c) {
      const v = h.fn(skb, state);
      if (v.kind !== 'accept') return v;
    }
    return ACCEPT;
  }
}
