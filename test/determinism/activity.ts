import type { Dice } from './dice.ts';
import { forwardingFlag, SCHEDULERS, VIP, type Topology } from './topology.ts';

/**
 * What happens in a generated scenario: the load (docs/scenario-format.md "Traffic" and "Workloads", and pings
 * typed on a client) and the timeline's faults ("Timeline": interfaces, cables, crashes, loss, slow servers,
 * and what an operator types — ipvsadm weight edits, deletions, a scheduler change, systemctl stop/start of the
 * web server, listing commands whose output lands in the trace). Times stay inside the run, so every entry
 * acts; a fault's end comes after its start.
 */

export const LOAD_KINDS = ['traffic', 'http', 'dns', 'ping'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

export const FAULT_KINDS = [
  'link',
  'cable',
  'crash',
  'director-crash',
  'weight',
  'delete',
  'edit-scheduler',
  'service-stop',
  'slow',
  'loss',
  'crash-on-conn',
  'inspect',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Activity {
  loads: LoadKind[];
  faults: FaultKind[];
  /** The `traffic:`, `workload:`, `timeline:` and `narration:` sections (each present only when not empty). */
  yaml: string[];
}

export function drawActivity(d: Dice, t: Topology, durationMs: number): Activity {
  const traffic: string[] = [];
  const workload: string[] = [];
  const timeline: string[] = [];
  const start = t.vipReadyMs + 100;
  const lastStart = durationMs - 1500;
  const at = (): number => d.int(start, lastStart);

  // One to three loads; the first is always TCP to VIP:80, so every scenario schedules connections.
  const loads: LoadKind[] = [d.pick(['traffic', 'http'] as const)];
  const more = LOAD_KINDS.filter((k) => k !== 'dns' || t.udp);
  for (let i = d.int(0, 2); i > 0; i--) loads.push(d.pick(more));
  let workloads = 0;
  for (const kind of loads) {
    const c = d.pick(t.clients);
    const from = at();
    const stop = Math.min(durationMs - 300, from + d.int(800, 2500));
    switch (kind) {
      case 'traffic':
        traffic.push(`  - { at: ${from}ms, from: ${c.name}, to: "${VIP}:80", request: ${d.pick(['64B', '100B', '600B'])}, count: ${d.int(2, 6)}, interval: ${d.int(50, 400)}ms }`);
        break;
      case 'http': {
        const arrivals = d.pick([
          `{ every: ${d.int(80, 300)}ms }`,
          `{ poisson: ${d.int(4, 15)}/s }`,
          `{ closed: { users: ${d.int(1, 4)}, think: { exponential: ${d.int(100, 500)}ms } } }`,
          `{ on_off: { rate: ${d.int(5, 20)}/s, on: ${d.int(200, 600)}ms, off: ${d.int(200, 600)}ms } }`,
        ]);
        const response = d.pick(['1KB', '{ exponential: 2KB }', '{ pareto: 500B, shape: 1.5, max: 8KB }']);
        const clients = d.pick(['', `, clients: { prefix: ${c.prefix}, count: ${d.int(2, 16)}${d.chance(0.3) ? ', zipf: 1' : ''} }`, `, clients: { megaproxy: ${c.megaproxy}, users: 100 }`]);
        workload.push(
          `  - { name: w${++workloads}, from: ${c.name}, to: "${VIP}:80", arrivals: ${arrivals}, start: ${from}ms, stop: ${stop}ms, response: ${response}, requests_per_connection: ${d.int(1, 3)}, timeout: ${d.pick(['1s', '2s'])}${clients} }`,
        );
        break;
      }
      case 'dns':
        workload.push(`  - { name: w${++workloads}, from: ${c.name}, to: "${VIP}:53", protocol: dns, arrivals: { every: ${d.int(100, 300)}ms }, start: ${from}ms, stop: ${stop}ms, timeout: 1s }`);
        break;
      case 'ping':
        timeline.push(`  - { at: ${from}ms, host: ${c.name}, run: ping -c ${d.int(1, 4)} -i 0.2 -W 1 ${VIP} }`);
        break;
    }
  }

  // Zero to three faults of different kinds, each at a random time in the run.
  const faults = d.sample(FAULT_KINDS, d.int(0, 3));
  for (const kind of faults) timeline.push(...faultLines(d, t, kind, d.int(200, durationMs - 800), d.int(100, 1500)));

  const yaml: string[] = [];
  if (traffic.length > 0) yaml.push('traffic:', ...traffic);
  if (workload.length > 0) yaml.push('workload:', ...workload);
  if (timeline.length > 0) yaml.push('timeline:', ...timeline);
  if (d.chance(0.3)) yaml.push('narration:', '  - when: { kind: ipvs, event: conn }', '    text: The first connection is *scheduled*.', `  - at: ${at()}ms`, '    text: A step at a time.');
  return { loads, faults, yaml };
}

function faultLines(d: Dice, t: Topology, kind: FaultKind, at: number, lasts: number): string[] {
  const s = d.pick(t.servers);
  const director = t.directors[0];
  const vs = `-t ${VIP}:80 -r ${s.address}:${s.port}`;
  const end = at + lasts;
  switch (kind) {
    case 'link':
      return [`  - { at: ${at}ms, link: ${s.name}/eth0, state: down }`, `  - { at: ${end}ms, link: ${s.name}/eth0, state: up }`];
    case 'cable':
      return [`  - { at: ${at}ms, cable: ${s.name}/eth0, state: down }`, `  - { at: ${end}ms, cable: ${s.name}/eth0, state: up }`];
    case 'crash':
      return [`  - { at: ${at}ms, crash: ${s.name} }`, ...(d.chance(0.7) ? [`  - { at: ${end}ms, restart: ${s.name} }`] : [])];
    case 'director-crash':
      return [`  - { at: ${at}ms, crash: ${director} }`, ...(t.control !== 'vrrp-pair' || d.chance(0.5) ? [`  - { at: ${end}ms, restart: ${director} }`] : [])];
    case 'weight':
      return [
        `  - { at: ${at}ms, host: ${director}, run: "ipvsadm -e ${vs} ${forwardingFlag(t.mode)} -w 0" }`,
        `  - { at: ${end}ms, host: ${director}, run: "ipvsadm -e ${vs} ${forwardingFlag(t.mode)} -w ${d.int(1, 4)}" }`,
      ];
    case 'delete':
      return [
        `  - { at: ${at}ms, host: ${director}, run: "ipvsadm -d ${vs}" }`,
        `  - { at: ${end}ms, host: ${director}, run: "ipvsadm -a ${vs} ${forwardingFlag(t.mode)} -w ${d.int(1, 3)}" }`,
      ];
    case 'edit-scheduler':
      return [`  - { at: ${at}ms, host: ${director}, run: "ipvsadm -E -t ${VIP}:80 -s ${d.pick(SCHEDULERS)}" }`];
    case 'service-stop':
      return [`  - { at: ${at}ms, host: ${s.name}, run: systemctl stop httpd }`, `  - { at: ${end}ms, host: ${s.name}, run: systemctl start httpd }`];
    case 'slow':
      return [`  - { at: ${at}ms, slow: ${s.name}, factor: ${d.int(2, 20)} }`, `  - { at: ${end}ms, slow: ${s.name}, factor: 1 }`];
    case 'loss': {
      const where = d.chance(0.5) ? `${s.name}/eth0` : t.router ? 'router/eth1' : `${t.clients[0].name}/eth0`;
      return [`  - { at: ${at}ms, loss: ${where}, probability: ${d.pick(['0.05', '0.2', '0.5'])} }`, `  - { at: ${end}ms, loss: ${where}, probability: 0 }`];
    }
    case 'crash-on-conn':
      return ['  - when: { kind: ipvs, host: ' + director + `, event: conn, dest: "${s.address}:${s.port}" }`, `    crash: ${s.name}`];
    case 'inspect': {
      const lines = d.sample(['ipvsadm -L -n --stats', 'ipvsadm -L -n --rate', 'ipvsadm -L -n -c', 'ipvsadm -L -n --thresholds', 'ipvsadm -L -n --persistent-conn', 'ipvsadm -S -n', 'ip neigh show', 'ip route show'], d.int(1, 3));
      return lines.map((run, i) => `  - { at: ${at + i * 50}ms, host: ${director}, run: "${run}" }`);
    }
  }
}
