/**
 * The LVS-NAT workload of `lvs-lab bench nat` (the ns-3 peer's pattern, ../shared/peers/ns3/README.md) and of the
 * soak benchmark (`npm run soak`), as scenario text: both faces build the same network from here.
 */
export interface NatBenchOptions {
  clients: number;
  servers: number;
  /** Simulated seconds of the run (the scenario's duration; the workload runs to its end). */
  seconds: number;
  seed: number;
  /** Mean exponential think time of each closed-loop client, in seconds. */
  think: number;
  /**
   * Put the client addresses on the director's client LAN (10.1.128.0/17) instead of behind the client host
   * (172.16.0.0/12, routed): the director then resolves every client address by ARP, one neighbour entry each,
   * which ages and is probed again as that client thinks. The soak benchmark's churn; `bench nat` leaves it off.
   */
  onLinkClients?: boolean;
  /**
   * The director's net.ipv4.neigh.default.gc_thresh1/2/3, when its neighbour table must hold more than the
   * kernel's defaults allow (128/512/1024: past 1,024 entries a new one fails, "neighbor table overflow!").
   */
  neighGcThresh?: readonly [number, number, number];
}

/** The on-link client prefix and how many addresses it gives (10.1.128.1 - 10.1.255.254). */
export const ON_LINK_CLIENT_PREFIX = '10.1.128.0/17';
export const ON_LINK_CLIENT_MAX = 2 ** 15 - 2;

/**
 * C closed-loop clients (one host holding their C addresses) on a 1 Gbit/s client LAN with 100 us host-to-host
 * latency (50 us per cable), a NAT director (rr, weight 1, its CPU model off as ns-3 has none), S real servers
 * on a 1 Gbit/s server LAN with 50 us (25 us per cable) that answer at once; each client thinks for an
 * exponential time of mean `think`, opens a connection to the VIP, sends a 200-byte request and reads a
 * 10,240-byte response (HTTP/1.0: the server closes first), for `seconds`.
 */
export function natBenchScenario(o: NatBenchOptions): string {
  const servers = Array.from({ length: o.servers }, (_, i) => i + 2);
  const onLink = o.onLinkClients === true;
  const prefix = onLink ? ON_LINK_CLIENT_PREFIX : '172.16.0.0/12';
  // Routed clients need a route back through the client host; on-link ones are reached on eth0 directly.
  const clientRoute = onLink ? '' : '\n      - ip route add 172.16.0.0/12 via 10.1.0.2';
  const gc = o.neighGcThresh === undefined ? '' : o.neighGcThresh.map((v, i) => `\n      net.ipv4.neigh.default.gc_thresh${i + 1}: ${v}`).join('');
  return `name: bench nat ${o.clients}/${o.servers}
seed: ${o.seed}
duration: ${Math.round(o.seconds * 1e9)}ns
segments:
  clan: { bandwidth: 1Gbit, latency: 50us }
  slan: { bandwidth: 1Gbit, latency: 25us }
hosts:
  client:
    interfaces:
      eth0: { segment: clan, addresses: [10.1.0.2/16] }
    commands:
      - ip route add default via 10.1.0.1
  director:
    cpu: { per_packet: 0ns }
    interfaces:
      eth0: { segment: clan, addresses: [10.1.0.1/16, 10.1.0.100/16] }
      eth1: { segment: slan, addresses: [10.2.0.1/16] }
    sysctl:
      net.ipv4.ip_forward: 1${gc}
    commands:${clientRoute}
      - ipvsadm -A -t 10.1.0.100:80 -s rr
${servers.map((k) => `      - ipvsadm -a -t 10.1.0.100:80 -r 10.2.${k >> 8}.${k & 255}:80 -m -w 1`).join('\n')}
${servers
  .map(
    (k) => `  rs${k - 1}:
    interfaces:
      eth0: { segment: slan, addresses: [10.2.${k >> 8}.${k & 255}/16] }
    commands:
      - ip route add default via 10.2.0.1
    services:
      - { port: 80 }`,
  )
  .join('\n')}
workload:
  - { name: clients, from: client, to: 10.1.0.100:80, clients: { prefix: ${prefix}, count: ${o.clients} }, arrivals: { closed: { users: ${o.clients}, think: { exponential: ${Math.round(o.think * 1e9)}ns } } }, request: 200B, response: 10240B }
`;
}
