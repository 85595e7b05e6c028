/**
 * The routed topology the benchmarks and the CLI tests share, as scenario text:
 *
 *   client (10.0.1.10) ── lan1 ── router (10.0.1.1 | 10.0.2.1, ip_forward) ── lan2 ── server (10.0.2.10)
 *
 * Client and server route through the router by default. Every cable takes the format's defaults (1 Gbit/s,
 * 10 us). The caller adds the client's commands after its route, and the top-level keys that follow hosts.
 */
export interface RoutedScenarioOptions {
  name: string;
  /** Any duration the format takes (`1s`, `3000000000ns`). */
  duration: string;
  /** Top-level `seed`, when given. */
  seed?: number;
  /** The client's commands after `ip route add default via 10.0.1.1`. */
  clientCommands?: readonly string[];
  /** Appended after the hosts, as written (top-level `timeline:`, `expect:`, ...). */
  tail?: string;
}

/** Host → interface → segment, for reading traces of the routed scenario. */
export const ROUTED_SEGMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  client: { eth0: 'lan1' },
  router: { eth0: 'lan1', eth1: 'lan2' },
  server: { eth0: 'lan2' },
};

export function routedScenario(o: RoutedScenarioOptions): string {
  const client = ['ip route add default via 10.0.1.1', ...(o.clientCommands ?? [])].map((c) => `      - ${c}\n`).join('');
  return `name: ${o.name}
${o.seed !== undefined ? `seed: ${o.seed}\n` : ''}duration: ${o.duration}
segments:
  lan1: {}
  lan2: {}
hosts:
  client:
    role: client
    interfaces:
      eth0: { segment: lan1, addresses: [10.0.1.10/24] }
    commands:
${client}  router:
    role: router
    interfaces:
      eth0: { segment: lan1, addresses: [10.0.1.1/24] }
      eth1: { segment: lan2, addresses: [10.0.2.1/24] }
    sysctl:
      net.ipv4.ip_forward: 1
  server:
    role: server
    interfaces:
      eth0: { segment: lan2, addresses: [10.0.2.10/24] }
    commands:
      - ip route add default via 10.0.2.1
${o.tail ?? ''}`;
}
