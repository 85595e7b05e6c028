import { buildScenario, loadScenario } from '../../../../src/scenario/index.ts';
import type { TraceEvent } from '../../../../src/trace/index.ts';

export interface ClusterOptions {
  /** ipvsadm lines (and others) on the director after its addresses. */
  director: string[];
  /** YAML flow mappings for each real server's `services:`. */
  services: string[];
  /** Per real server, overriding `services` (index 0 = rs1). */
  servicesOf?: string[][];
  /** The `workload:` list's YAML (indented two spaces per entry line). */
  workload?: string;
  duration?: string;
  /** Extra lines on the client host's commands. */
  clientCommands?: string[];
}

/**
 * A NAT cluster for workload tests: client c (10.0.0.2) on wan, director d (10.0.0.1, VIP 10.0.0.100, and
 * 192.168.1.254 on lan), real servers rs1 and rs2 (192.168.1.2 and .3, default route via the director).
 */
export function natCluster(o: ClusterOptions) {
  const rs = [1, 2]
    .map((k) => {
      const services = o.servicesOf?.[k - 1] ?? o.services;
      return `  rs${k}:
    interfaces:
      eth0: { segment: lan, addresses: [192.168.1.${k + 1}/24] }
    commands:
      - ip route add default via 192.168.1.254
    services:
${services.map((s) => `      - ${s}`).join('\n')}`;
    })
    .join('\n');
  const text = `name: workload cluster
duration: ${o.duration ?? '5s'}
segments: { wan: {}, lan: {} }
hosts:
  c:
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.2/24] }
    commands:
      - ip route add default via 10.0.0.1
${(o.clientCommands ?? []).map((c) => `      - ${c}`).join('\n')}
  d:
    interfaces:
      eth0: { segment: wan, addresses: [10.0.0.1/24, 10.0.0.100/24] }
      eth1: { segment: lan, addresses: [192.168.1.254/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
${o.director.map((c) => `      - ${c}`).join('\n')}
${rs}
${o.workload !== undefined ? `workload:\n${o.workload}` : ''}
`;
  const built = buildScenario(loadScenario(text, 'cluster.yaml'));
  const world = built.world;
  const events = world.memory.events as TraceEvent[];
  const run = () => world.sim.runUntil(loadScenario(text, 'cluster.yaml').duration);
  return { world, events, run, text };
}

export function appEvents(events: readonly TraceEvent[], event: string, app?: string) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'app' }> => e.kind === 'app' && e.event === event && (app === undefined || e.app === app));
}

export function ipvsConns(events: readonly TraceEvent[]) {
  return events.filter((e): e is Extract<TraceEvent, { kind: 'ipvs' }> => e.kind === 'ipvs' && e.event === 'conn');
}
