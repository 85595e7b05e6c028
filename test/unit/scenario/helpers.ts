import { loadScenario } from '../../../src/scenario/load.ts';
import { ScenarioError } from '../../../src/scenario/ScenarioError.ts';

/** The example of /work/shared/design/scenario-format.md, verbatim (the external contract). */
export const FORMAT_EXAMPLE = `name: The LVS ARP problem                 # required
description: >                            # optional, plain text
  The real servers hold the VIP on an interface that answers ARP.
seed: 1                                   # default seed; \`--seed\` overrides
duration: 10s                             # simulated time to run; \`--until\` overrides

segments:                                 # L2 broadcast domains, each one learning switch
  lan:
    bandwidth: 1Gbit                      # default for every cable into this switch
    latency: 25us                         # default one-way propagation of each cable
    queue: 100                            # default drop-tail queue per port, in packets

hosts:                                    # a map: the key is the host's name
  router:
    role: router                          # client | router | director | real-server | server (display only)
    position: [120, 200]                  # optional, for the browser's stage
    interfaces:                           # a map: the key is the interface name
      eth0:
        segment: lan
        mac: 02:00:00:00:01:fe            # optional; otherwise derived deterministically from host + interface
        addresses: [192.168.1.254/24]     # optional
        latency: 10us                     # optional: this cable's own propagation delay
        bandwidth: 1Gbit                  # optional: this cable's own rate
    sysctl:                               # optional; applied before \`commands\`
      net.ipv4.ip_forward: 1
    commands:                             # optional; run in order at time 0, exactly as typed on the host
      - ip route add default via 192.168.1.1
  rs1:
    role: real-server
    interfaces:
      eth0: { segment: lan, mac: 02:00:00:00:01:02, addresses: [192.168.1.2/24] }
    commands:
      - ip addr add 192.168.1.110/32 dev lo
      - sysctl -w net.ipv4.conf.all.arp_ignore=1

timeline:                                 # optional: commands later in the run
  - { at: 1s, host: router, run: ping -c 1 192.168.1.110 }
  - { at: 5s, host: rs1, run: ip link set eth0 down }

expect:                                   # optional: checked after the run; any failure makes \`run\` exit 1
  - at: 3s                                # run a command at that time and test its output
    host: router
    run: ip neigh show 192.168.1.110
    output: { contains: "lladdr 02:00:00:00:01:01" }   # or { equals: "..." } or { matches: "regex" }
  - count: { kind: tx, host: rs1, pkt: { arp: { op: reply, spa: 192.168.1.110 } } }
    equals: 0                             # or atLeast: N, atMost: N
  - count: { kind: drop, reason: rp-filter }
    atLeast: 1
`;

/** Lines joined with newlines: positions in a test read as line numbers of this array (1-based). */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** The ScenarioError the text raises; fails the test if it loads or throws anything else. */
export function errorOf(text: string, file = 'test.yaml'): ScenarioError {
  try {
    loadScenario(text, file);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw new Error(`expected a ScenarioError, got ${String(e)}`);
  }
  throw new Error('expected a ScenarioError, but the scenario loaded');
}

/** A minimal valid scenario around the given lines of hosts (and any other top-level keys after them). */
export function withHosts(...lines: string[]): string {
  return yaml('name: t', 'segments:', '  lan: {}', 'hosts:', ...lines);
}
