import { Lab, NO_LIMITS } from '../lab/index.ts';
import { median, timeSeconds } from './clock.ts';

/**
 * Packets per second through a NAT director: a client opens `requests` HTTP-like connections to a virtual
 * service (100 B requests, 10 KB responses) that a director NATs to four real servers, every request and reply
 * packet crossing the director's IPVS (lookup, state, rewrite, route, transmit). The director's CPU model is set
 * to cost nothing, so the figure is the simulator's speed, not the modelled director's; the run is untraced.
 */
export function natDirectorScenario(requests: number, intervalNs: number): string {
  const servers = [1, 2, 3, 4];
  return `name: bench — NAT director
seed: 1
duration: ${2_000_000_000 + requests * intervalNs}ns
segments: { wan: {}, lan: {} }
hosts:
  client:
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.2/24] }
    commands:
      - ip route add default via 10.0.0.1
  director:
    cpu: { per_packet: 0ns }
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.1/24, 10.0.0.100/24] }
      eth1: { segment: lan, addresses: [192.168.1.254/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
      - ipvsadm -A -t 10.0.0.100:80 -s wlc
${servers.map((k) => `      - ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.${k}:80 -m`).join('\n')}
${servers
  .map(
    (k) => `  rs${k}:
    interfaces:
      eth0: { segment: lan, addresses: [192.168.1.${k}/24] }
    commands:
      - ip route add default via 192.168.1.254
    services:
      - { port: 80, response: 10KB }`,
  )
  .join('\n')}
traffic:
  - { at: 1s, from: client, to: 10.0.0.100:80, request: 100B, count: ${requests}, interval: ${intervalNs}ns }
`;
}

export interface NatDirectorFigures {
  requests: number;
  /** Packets the director's IPVS handled (in + out). */
  packets: number;
  seconds: number;
  packetsPerSecond: number;
}

/** Median of `repeats` untraced runs, after one warm-up run for the JIT. */
export function benchNatDirector(requests: number, repeats: number): NatDirectorFigures {
  const intervalNs = 200_000;
  const once = (n: number) => {
    const lab = Lab.fromText(natDirectorScenario(n, intervalNs), { ...NO_LIMITS, file: 'bench-nat.yaml', record: false });
    const seconds = timeSeconds(() => lab.run());
    const c = lab.ipvsCounters('director');
    if (!c || c.conns !== n) throw new Error(`the NAT bench scheduled ${c?.conns ?? 0} of ${n} connections`);
    return { packets: c.inPkts + c.outPkts, seconds };
  };
  once(Math.min(requests, 200));
  const runs = Array.from({ length: repeats }, () => once(requests));
  const seconds = median(runs.map((r) => r.seconds));
  return { requests, packets: runs[0].packets, seconds, packetsPerSecond: runs[0].packets / seconds };
}
