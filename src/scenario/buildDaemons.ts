import { daemonsOf, installDaemon, Keepalived, Ldirectord } from '../apps/daemons/index.ts';
import { ipvsOf } from '../ipvs/index.ts';
import type { Host } from '../net/index.ts';
import { CallbackSink, type TraceEvent } from '../trace/index.ts';
import { scenarioErrorAt } from './ScenarioError.ts';
import type { ScenarioSpec } from './schema.ts';
import type { World } from './World.ts';

const FAULTS_ONLY: ReadonlySet<TraceEvent['kind']> = new Set(['fault']);

/**
 * Extension (issue 5): the daemons a scenario's hosts run (`keepalived:`, `ldirectord:`). Each is installed on
 * its host (so `systemctl` finds it) and started at time 0 after the host's commands, as the init system starts
 * enabled services after the network configuration. A host crash kills its daemons; a restart starts them
 * again (they are enabled at boot). Interface names are checked here, against the host's interfaces.
 */
export function installDaemons(world: World, spec: ScenarioSpec, start: boolean): void {
  const started: Host[] = [];
  for (const hs of spec.hosts) {
    const host = world.host(hs.name);
    if (hs.keepalived) {
      for (const ref of hs.keepalived.ifaceRefs) {
        if (!host.iface(ref.name) || ref.name === 'lo') {
          throw scenarioErrorAt(spec.file, ref.pos, ref.path, `an Ethernet interface of ${hs.name} (${host.interfaces.filter((d) => d.kind === 'ether').map((d) => d.name).join(', ') || 'none'})`, ref.name);
        }
      }
      installDaemon(host, new Keepalived(host, ipvsOf(host).control, hs.keepalived.config));
    }
    if (hs.ldirectord) installDaemon(host, new Ldirectord(host, ipvsOf(host).control, hs.ldirectord.config));
    // Service units (httpd, ...) are already running; they take part in crashes and restarts like any unit.
    if (hs.keepalived || hs.ldirectord || hs.services.length > 0) started.push(host);
  }
  if (!start || started.length === 0) return;
  world.sim.schedule(0, () => {
    for (const host of started) for (const d of daemonsOf(host).values()) d.start();
  });
  // The init system's view of crashes and restarts, from the trace's `fault` events (only those: a sink that
  // read every kind would make the model summarise every frame even in an untraced run).
  world.tracer.attach(
    new CallbackSink((e) => {
      if (e.kind !== 'fault' || e.host === undefined || (e.fault !== 'crash' && e.fault !== 'restart')) return;
      const host = world.hosts.get(e.host);
      if (!host || !started.includes(host)) return;
      if (e.fault === 'crash') for (const d of daemonsOf(host).values()) d.halt();
      else world.sim.schedule(0, () => host.alive && [...daemonsOf(host).values()].forEach((d) => d.start()));
    }, FAULTS_ONLY),
  );
}
