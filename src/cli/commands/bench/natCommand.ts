import { Lab, NO_LIMITS } from '../../../lab/index.ts';
import type { CliIo } from '../../CliIo.ts';
import { EXIT_OK } from '../../exitCodes.ts';
import { reportError, UserInputError } from '../../userInput.ts';

export interface NatBenchOptions {
  clients: number;
  servers: number;
  seconds: number;
  seed: number;
  think: number;
}

/**
 * The ns-3 peer's LVS-NAT workload (../shared/peers/ns3/README.md) as a scenario: C closed-loop clients (one
 * host holding their C addresses, routed by the director) on a 1 Gbit/s client LAN with 100 us host-to-host
 * latency (50 us per cable), a NAT director (rr, weight 1, its CPU model off as ns-3 has none), S real servers
 * on a 1 Gbit/s server LAN with 50 us (25 us per cable) that answer at once; each client thinks for an
 * exponential time of mean `think`, opens a connection to the VIP, sends a 200-byte request and reads a
 * 10,240-byte response (HTTP/1.0: the server closes first), for `seconds`.
 */
export function natBenchScenario(o: NatBenchOptions): string {
  const servers = Array.from({ length: o.servers }, (_, i) => i + 2);
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
      net.ipv4.ip_forward: 1
    commands:
      - ip route add 172.16.0.0/12 via 10.1.0.2
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
  - { name: clients, from: client, to: 10.1.0.100:80, clients: { prefix: 172.16.0.0/12, count: ${o.clients} }, arrivals: { closed: { users: ${o.clients}, think: { exponential: ${Math.round(o.think * 1e9)}ns } } }, request: 200B, response: 10240B }
`;
}

/** `lvs-lab bench nat`: one JSON line with the ns-3 program's fields (and a few more). */
export function natCommand(o: NatBenchOptions, io: CliIo, now: () => number): number {
  try {
    if (o.servers > 60_000) throw new UserInputError('lvs-lab: --servers: at most 60000');
    const t0 = now();
    const lab = Lab.fromText(natBenchScenario(o), { ...NO_LIMITS, file: 'bench-nat.yaml', record: false });
    let completed = 0;
    let latency = 0;
    lab.onEvent(
      (e) => {
        if (e.kind === 'app' && e.event === 'response') {
          completed++;
          latency += e.latency ?? 0;
        }
      },
      ['app'],
    );
    const eventsBefore = lab.eventsDispatched;
    const t1 = now();
    lab.run();
    const t2 = now();
    const c = lab.ipvsCounters('director')!;
    const forwarded = c.inPkts + c.outPkts;
    const wall = (t2 - t1) / 1000;
    io.out(
      `${JSON.stringify({
        sim: 'lvs-lab',
        clients: o.clients,
        servers: o.servers,
        sim_seconds: o.seconds,
        events: lab.eventsDispatched - eventsBefore,
        packets_forwarded: forwarded,
        connections_completed: completed,
        wall_seconds: Number(wall.toFixed(4)),
        setup_seconds: Number(((t1 - t0) / 1000).toFixed(4)),
        connections_started: c.conns,
        packets_per_connection: completed > 0 ? Number((forwarded / c.conns).toFixed(2)) : null,
        mean_response_ms: completed > 0 ? Number((latency / completed / 1e6).toFixed(3)) : null,
        packets_forwarded_per_wall_second: wall > 0 ? Math.round(forwarded / wall) : null,
        connections_per_wall_second: wall > 0 ? Math.round(completed / wall) : null,
        think: o.think,
        seed: o.seed,
      })}\n`,
    );
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}
