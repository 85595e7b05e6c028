import type { WorkloadDefinition, WorkloadFlow } from './workloads.ts';

/** Where the generated cluster puts things (the client host routes every population; the director NATs). */
export const VIP = '10.0.0.100';
export const PORT = 80;
const SECOND_NS = 1_000_000_000;
/** After the last session starts, time for the ones in flight to finish (they still count). */
export const DRAIN_NS = 2 * SECOND_NS;
/** The firewall mark of the service a definition with destination prefixes gets. */
export const FWMARK = 1;
/** The policy-routing table that makes marked packets local on the director (`local 0/0 dev lo`). */
const LOCAL_TABLE = 100;

export interface FairnessRunSpec {
  readonly scheduler: string;
  readonly workload: WorkloadDefinition;
  readonly seed: number;
  /** Seconds during which sessions start (the run lasts DRAIN_NS more). */
  readonly seconds: number;
}

export function serverName(k: number): string {
  return `rs${k}`;
}

export function serverAddress(k: number): string {
  return `192.168.1.${k}`;
}

/** The time of an event at fraction `at` of a run of `seconds`, in ns (whole microseconds, so text is exact). */
export function eventTime(at: number, seconds: number): number {
  return Math.round(at * seconds * 1_000_000) * 1000;
}

/**
 * A complete scenario for one run: a client host holding every population's addresses, a NAT director with the
 * scheduler under test (its CPU model switched off: the sweep measures the scheduler, not the director's
 * capacity), the definition's real servers each with its capacity model and speed, one `workload:` entry per
 * flow starting sessions for `seconds`, and the definition's events as timeline entries (`ipvsadm -a`,
 * `ipvsadm -d`, `slow:`). Nothing is shortcut: every connection is packets through the model.
 *
 * The virtual service is `VIP:PORT`, unless a flow sends to a destination prefix (a cache cluster: the director
 * forwards for many origin addresses it does not hold). Then, as LVS cache clusters are set up, the director
 * marks the TCP packets to each flow's destinations (`iptables -t mangle ... -j MARK --set-mark 1`), makes
 * marked packets local by policy routing (`ip rule add fwmark 1 table 100`, `ip route add local 0/0 dev lo
 * table 100`, as lessons/dsr-fwmark.yaml does) so they reach IPVS at LOCAL_IN, and serves them with one
 * firewall-mark service (`ipvsadm -A -f 1`). dh, lblc and lblcr then hash each packet's own destination. The
 * client host needs no route of its own for the prefix: its default route already goes to the director.
 */
export function fairnessScenario(spec: FairnessRunSpec): string {
  const w = spec.workload;
  const n = w.speeds.length;
  const stopNs = Math.round(spec.seconds * SECOND_NS);
  const lateAdded = new Set(w.events.filter((e) => e.kind === 'add').map((e) => e.server));
  const routes = w.flows.map(routeOf);
  const fwmark = w.flows.some((f) => f.to !== undefined);
  const service = serviceOption(fwmark);
  const persist = w.persistence !== undefined ? ` -p ${w.persistence}` : '';
  const lines: string[] = [];
  lines.push(`name: ${JSON.stringify(`fairness ${w.name} ${spec.scheduler} seed ${spec.seed}`)}`);
  lines.push(`seed: ${spec.seed}`);
  lines.push(`duration: ${stopNs + DRAIN_NS}ns`);
  lines.push('segments: { wan: {}, lan: {} }');
  lines.push('hosts:');
  lines.push('  client:', '    role: client', '    interfaces:', '      eth0: { segment: wan, addresses: [10.0.0.2/24] }', '    commands:', '      - ip route add default via 10.0.0.1');
  lines.push('  director:', '    role: director', '    cpu: { per_packet: 0ns }', '    interfaces:');
  lines.push(`      eth0: { segment: wan, addresses: [10.0.0.1/24, ${VIP}/24] }`, '      eth1: { segment: lan, addresses: [192.168.1.254/24] }');
  lines.push('    sysctl:', '      net.ipv4.ip_forward: 1', '    commands:');
  for (const r of [...new Set(routes)]) lines.push(`      - ip route add ${r} via 10.0.0.2`);
  if (fwmark) {
    for (const d of [...new Set(w.flows.map(destinationOf))]) lines.push(`      - iptables -t mangle -A PREROUTING -d ${d} -p tcp --dport ${PORT} -j MARK --set-mark ${FWMARK}`);
    lines.push(`      - ip rule add prio ${LOCAL_TABLE} fwmark ${FWMARK} table ${LOCAL_TABLE}`, `      - ip route add local 0/0 dev lo table ${LOCAL_TABLE}`);
  }
  lines.push(`      - ipvsadm -A ${service} -s ${spec.scheduler}${persist}`);
  for (let k = 1; k <= n; k++) if (!lateAdded.has(k)) lines.push(`      - ${addCommand(service, k, w.weights[k - 1])}`);
  const serverService = JSON.stringify({ port: PORT, ...w.service });
  for (let k = 1; k <= n; k++) {
    const svc = `${serverService.slice(0, -1)},"speed":${w.speeds[k - 1]}}`;
    lines.push(`  ${serverName(k)}:`, '    role: real-server', '    interfaces:', `      eth0: { segment: lan, addresses: [${serverAddress(k)}/24] }`);
    lines.push('    commands:', '      - ip route add default via 192.168.1.254', '    services:', `      - ${svc}`);
  }
  lines.push('workload:');
  w.flows.forEach(({ to, ...f }, i) => {
    const target = to === undefined ? `${VIP}:${PORT}` : { ...to, port: PORT };
    lines.push(`  - ${JSON.stringify({ name: `f${i + 1}`, from: 'client', to: target, stop: `${stopNs}ns`, ...f })}`);
  });
  if (w.events.length > 0) {
    lines.push('timeline:');
    for (const e of w.events) {
      const at = `${eventTime(e.at, spec.seconds)}ns`;
      if (e.kind === 'add') lines.push(`  - { at: ${at}, host: director, run: "${addCommand(service, e.server, w.weights[e.server - 1])}" }`);
      else if (e.kind === 'remove') lines.push(`  - { at: ${at}, host: director, run: "ipvsadm -d ${service} -r ${serverAddress(e.server)}:${PORT}" }`);
      else lines.push(`  - { at: ${at}, slow: ${serverName(e.server)}, factor: ${e.factor} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** ipvsadm's name for the virtual service: `-t VIP:PORT`, or `-f MARK` for the firewall-mark service. */
function serviceOption(fwmark: boolean): string {
  return fwmark ? `-f ${FWMARK}` : `-t ${VIP}:${PORT}`;
}

function addCommand(service: string, k: number, weight: number): string {
  return `ipvsadm -a ${service} -r ${serverAddress(k)}:${PORT} -m -w ${weight}`;
}

/** The addresses a flow's sessions go to, as the mark rule's `-d`: its destination prefix, or the VIP. */
function destinationOf(f: WorkloadFlow): string {
  const p = f.to?.prefix;
  return typeof p === 'string' ? p : `${VIP}/32`;
}

/** The director's route back to a flow's clients (through the client host, which holds their addresses). */
function routeOf(f: WorkloadFlow): string {
  const c = f.clients;
  if (typeof c.prefix === 'string') return c.prefix;
  if (typeof c.megaproxy === 'string') return `${c.megaproxy}/32`;
  return '0.0.0.0/0';
}

/**
 * Each real server's weight-ideal share of the connections: its weight over the sum of the weights of the
 * servers in the service, averaged over the run's phases (between add/remove events), each phase counted by
 * its length — what a perfectly weight-proportional scheduler would give an arrival process of constant rate.
 */
export function idealShares(w: WorkloadDefinition): number[] {
  const n = w.weights.length;
  const member = Array.from({ length: n }, (_, i) => !w.events.some((e) => e.kind === 'add' && e.server === i + 1));
  const changes = w.events.filter((e) => e.kind !== 'slow').sort((a, b) => a.at - b.at);
  const ideal = Array<number>(n).fill(0);
  let from = 0;
  const phase = (to: number) => {
    const total = w.weights.reduce((s, x, i) => s + (member[i] ? x : 0), 0);
    if (total > 0) for (let i = 0; i < n; i++) if (member[i]) ideal[i] += ((to - from) * w.weights[i]) / total;
    from = to;
  };
  for (const e of changes) {
    phase(e.at);
    member[e.server - 1] = e.kind === 'add';
  }
  phase(1);
  return ideal;
}
