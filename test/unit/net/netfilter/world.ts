import { parseIpv4, type IcmpEcho, type Ipv4Address } from '../../../../src/wire/index.ts';
import { Scope, TABLE_MAIN, type Host, type Interface, type IptRule, type TargetSpec } from '../../../../src/net/index.ts';
import { SimWorld } from '../../simWorld.ts';

/** Small networks for the netfilter tests: hosts on switched segments, a tracer with a memory sink. */

export const ip = (s: string): Ipv4Address => parseIpv4(s)!;

export class World extends SimWorld {
  private macSeq = 1;

  host(name: string): Host {
    return this.newHost(name);
  }

  /** Adds `dev` to `host` on segment `seg` with address `cidr` (A.B.C.D/N); MACs are numbered in order. */
  attach(host: Host, dev: string, seg: string, cidr: string): Interface {
    const mac = `02:00:00:00:00:${(this.macSeq++).toString(16).padStart(2, '0')}`;
    const d = this.plugNew(host, dev, mac, seg);
    const [a, len] = cidr.split('/');
    host.addAddress(d, { address: ip(a), prefixLen: Number(len), scope: Scope.global, label: dev });
    return d;
  }

  defaultRoute(host: Host, via: string): void {
    this.route(host, '0.0.0.0/0', via);
  }

  /** `ip route add DST/LEN via GW` in the main table; throws if the kernel would refuse it. */
  route(host: Host, dst: string, via: string): void {
    const [a, len] = dst.split('/');
    const r = host.addRoute({ table: TABLE_MAIN, type: 'unicast', dst: ip(a), prefixLen: Number(len ?? 32), tos: 0, gateway: ip(via), scope: Scope.global, metric: 0, proto: 'boot' });
    if (r) throw new Error(`route ${dst} via ${via} on ${host.name}: ${r}`);
  }
}

/** An echo request with 56 bytes of data, as `ping` sends. */
export function echo(ident: number, sequence: number): IcmpEcho {
  return { proto: 'icmp', type: 8, code: 0, ident, sequence, payload: { length: 56 } };
}

/** A rule with everything unset but what is given. */
export function rule(target: TargetSpec, more: Partial<IptRule> = {}): IptRule {
  return { proto: 0, protoInvert: false, matches: [], target, ...more };
}

export function hostAddr(a: string): { addr: number; mask: number; invert: boolean } {
  return { addr: ip(a), mask: 0xffffffff, invert: false };
}
