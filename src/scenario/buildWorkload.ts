import { installDaemon } from '../apps/daemons/index.ts';
import { DnsLikeServer, FtpLikeServer, HttpServer, ServiceUnit, UNLIMITED, Workload, populationAddresses, type CapacitySpec, type UnitServer } from '../apps/index.ts';
import { ipvsOf } from '../ipvs/index.ts';
import { Scope, type Host } from '../net/index.ts';
import { MS, type SimTime } from '../sim/index.ts';
import { scenarioErrorAt } from './ScenarioError.ts';
import type { ScenarioSpec, ServiceSpec } from './schema.ts';
import { DEFAULT_UNIT } from './workloadSchema.ts';
import type { World } from './World.ts';

/**
 * Extension (issue 5): what the builder starts for `services:` and `workload:` — the servers of src/apps with
 * their capacity models, the client populations' addresses, the workloads, and the IPVS CPU samples the
 * metrics read (src/metrics/directorCpu.ts).
 */

/** How often a host's IPVS CPU is sampled into the trace while workloads run. */
export const CPU_SAMPLE_INTERVAL: SimTime = 100 * MS;

/**
 * Starts a host's services and installs them as units (`systemctl stop httpd`): services naming the same unit
 * (by default one per app) belong to one unit, which is running from the start.
 */
export function startServices(host: Host, services: readonly ServiceSpec[]): void {
  const units = new Map<string, UnitServer[]>();
  for (const svc of services) {
    const unit = svc.unit ?? DEFAULT_UNIT[svc.app ?? (svc.protocol === 'udp' ? 'dns' : 'http')];
    let servers = units.get(unit);
    if (servers === undefined) units.set(unit, (servers = []));
    servers.push(startService(host, svc));
  }
  for (const [name, servers] of units) {
    const unit = new ServiceUnit(host, name, servers);
    unit.markRunning();
    installDaemon(host, unit);
  }
}

/** Starts one service on a host. A service with none of the capacity keys answers at once, as before. */
function startService(host: Host, svc: ServiceSpec): UnitServer {
  const capacity: CapacitySpec = {
    workers: svc.workers ?? UNLIMITED.workers,
    queue: svc.queue ?? UNLIMITED.queue,
    serviceTime: svc.serviceTime ?? UNLIMITED.serviceTime,
    speed: svc.speed ?? UNLIMITED.speed,
  };
  let server: UnitServer;
  switch (svc.app ?? (svc.protocol === 'udp' ? 'dns' : 'http')) {
    case 'http':
      server = new HttpServer(host, svc.port, { response: svc.response, capacity, check: svc.check });
      break;
    case 'dns':
      server = new DnsLikeServer(host, svc.port, capacity);
      break;
    case 'ftp':
      server = new FtpLikeServer(host, svc.port, capacity, svc.passivePorts);
      break;
  }
  server.start();
  return server;
}

/**
 * Gives each workload's client host its population's addresses (as /32s on its first Ethernet interface, so
 * the host answers ARP for them and neighbours deliver to it) and schedules the workloads. An address the host
 * already has (a mega proxy that is the host's own address) is left as it is.
 */
export function startWorkloads(world: World, spec: ScenarioSpec): void {
  for (const w of spec.workload) {
    const host = world.host(w.from);
    const addresses = populationAddresses(w.clients);
    if (addresses.length > 0) {
      const dev = host.interfaces.find((i) => i.kind === 'ether');
      if (dev === undefined) throw scenarioErrorAt(spec.file, w.pos, `workload.${w.name}.clients`, `a from: host with an Ethernet interface to hold the client addresses`, w.from);
      // Every lookup before any address is added: adding one clears the route caches, and a lookup after each
      // would rescan the growing local table (quadratic in the population). Same outcome: the population's
      // addresses are distinct.
      const missing = addresses.filter((address) => !host.isLocalAddress(address));
      for (const address of missing) host.addAddress(dev, { address, prefixLen: 32, scope: Scope.global, label: dev.name });
    }
    const workload = new Workload(host, {
      name: w.name,
      protocol: w.protocol,
      to: w.to,
      port: w.port,
      clients: w.clients,
      arrivals: w.arrivals,
      start: w.start,
      stop: w.stop,
      request: w.request,
      response: w.response,
      requestsPerConnection: w.requestsPerConnection,
      timeout: w.timeout,
      ftpMode: w.ftpMode,
    });
    workload.start();
  }
  if (spec.workload.length > 0) sampleCpus(world, spec.duration);
}

/** Every CPU_SAMPLE_INTERVAL up to the run's end, a `cpu` event for each host whose IPVS CPU did work since the last. */
function sampleCpus(world: World, until: SimTime): void {
  const last = new Map<Host, string>();
  const sample = () => {
    const t = world.tracer;
    for (const host of world.hosts.values()) {
      const cpu = ipvsOf(host).cpu;
      const key = `${cpu.processed}/${cpu.refused}`;
      if (key === (last.get(host) ?? '0/0')) continue;
      last.set(host, key);
      if (t.enabled) t.emit({ kind: 'cpu', host: host.name, busy: cpu.busyTime(), processed: cpu.processed, refused: cpu.refused, queued: cpu.queued });
    }
    if (world.sim.now() + CPU_SAMPLE_INTERVAL <= until) world.sim.schedule(CPU_SAMPLE_INTERVAL, sample);
  };
  world.sim.scheduleAt(CPU_SAMPLE_INTERVAL, sample);
}
