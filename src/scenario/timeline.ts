import type { Shell } from '../admin/index.ts';
import { setSlowdown } from '../apps/slowdown.ts';
import { Priority } from '../sim/index.ts';
import type { ConditionWatcher } from './conditions.ts';
import type { ScenarioSpec, TimelineAction, TimelineSpec } from './schema.ts';
import type { World } from './World.ts';

/**
 * The timeline: each entry's action at its `at` time (admin priority: before packet events of that instant)
 * or once its `when:` condition first holds. Every action is traced: a command by its `command` event, an
 * interface by `link`, a cable by `link` with `cable: true`, a crash, restart, slow-down or loss by `fault`
 * (emitted before the action's consequences, so the crash comes before the drops it causes). The builder
 * calls this twice: `when` entries before the time-0 commands (so conditions see them), `at` entries after.
 */
export function scheduleTimeline(world: World, shell: Shell, spec: ScenarioSpec, watcher: ConditionWatcher, which: 'when' | 'at'): void {
  for (const t of spec.timeline) {
    const run = (): void => applyTimelineAction(world, shell, t);
    if (t.when !== undefined) {
      if (which === 'when') watcher.onFirst(t.when, run);
    } else if (which === 'at') world.sim.scheduleAt(t.at, run, Priority.admin);
  }
}

export function applyTimelineAction(world: World, shell: Shell, t: Pick<TimelineSpec, 'host' | 'action'>): void {
  const host = world.host(t.host);
  const a: TimelineAction = t.action;
  const tracer = world.tracer;
  const fault = (fault: 'crash' | 'restart' | 'slow' | 'loss', detail?: string, iface?: string): void => {
    if (tracer.enabled) tracer.emit({ kind: 'fault', host: host.name, iface, fault, detail });
  };
  switch (a.kind) {
    case 'run':
      shell.run(host, a.run);
      return;
    case 'link': {
      const dev = host.iface(a.iface);
      if (dev) host.setLinkUp(dev, a.up);
      return;
    }
    case 'cable': {
      const cable = world.cables.get(`${host.name}/${a.iface}`);
      if (!cable || cable.carrier === a.up) return;
      cable.setCarrier(a.up);
      if (tracer.enabled) tracer.emit({ kind: 'link', host: host.name, iface: a.iface, state: a.up ? 'up' : 'down', cable: true });
      const dev = host.iface(a.iface);
      if (dev) host.linkChanged(dev);
      return;
    }
    case 'crash':
      if (!host.alive) return;
      fault('crash');
      host.crash();
      return;
    case 'restart':
      if (host.alive) return;
      fault('restart');
      host.restart();
      return;
    case 'slow':
      fault('slow', a.factor === 1 ? 'normal speed' : `${a.factor}× slower`);
      setSlowdown(host, a.factor);
      return;
    case 'loss': {
      const cable = world.cables.get(`${host.name}/${a.iface}`);
      if (!cable) return;
      fault('loss', `${+(a.probability * 100).toFixed(4)}% of frames`, a.iface);
      // One named stream per cable: turning loss on one cable never shifts another consumer's numbers.
      cable.setLoss(a.probability, world.streams.get(`loss:${host.name}/${a.iface}`));
      return;
    }
  }
}
