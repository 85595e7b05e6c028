import { Shell, type CommandResult } from '../admin/index.ts';
import { RequestClient } from '../apps/index.ts';
import { startServices, startWorkloads } from './buildWorkload.ts';
import { Priority } from '../sim/index.ts';
import { ipvsOf } from '../ipvs/index.ts';
import { Cable, Host, Switch, Scope } from '../net/index.ts';
import { MAC_ZERO } from '../wire/index.ts';
import { scenarioErrorAt } from './ScenarioError.ts';
import type { HostSpec, ScenarioSpec } from './schema.ts';
import { LAB_COMMANDS } from './labCommands.ts';
import { World } from './World.ts';
import { ConditionWatcher } from './conditions.ts';
import { allExpectations } from './expectations.ts';
import type { AnswerLine, AnswerOutcome } from './exercise.ts';
import { scheduleNarration } from './narration.ts';
import { scheduleTimeline } from './timeline.ts';
import { installDaemons } from './buildDaemons.ts';

/** Commands whose non-zero exit is an outcome, not a configuration error (scenario-format.md). */
const NETWORK_COMMANDS = new Set(['ping', 'arping']);

export interface BuildOptions {
  seed?: number;
  run?: number;
  shell?: Shell;
  /** `lvs-lab check`: configure at time 0 but do not start commands that wait on the network. */
  checkOnly?: boolean;
  /** An exercise answer: run at time 0 after every host's own commands, in order, each after the one before. */
  answer?: readonly AnswerLine[];
}

/** Results of `expect` entries that run a command, filled in as their commands finish. */
export interface OutputProbe {
  index: number;
  output?: CommandResult;
}

export interface BuiltScenario {
  world: World;
  shell: Shell;
  probes: OutputProbe[];
  /** The answer's commands and what each did, filled in as they finish (empty without an answer). */
  answer: AnswerOutcome[];
}

/**
 * Scenario → World: segments become switches, interfaces become cables plugged in file order (the order the
 * switch floods in), then each host's sysctls and commands are applied, services started, and the timeline,
 * traffic and output expectations scheduled. A failing configuration command is a ScenarioError at its line.
 */
export function buildScenario(spec: ScenarioSpec, opts: BuildOptions = {}): BuiltScenario {
  const world = new World(opts.seed ?? spec.seed, opts.run ?? 0);
  world.tracer.attach(world.memory);
  const shell = opts.shell ?? new Shell(LAB_COMMANDS);
  for (const seg of spec.segments) world.segments.set(seg.name, new Switch(world.ctx, seg.name));

  for (const hs of spec.hosts) {
    const host = new Host(world.ctx, hs.name, hs.role);
    world.hosts.set(hs.name, host);
    // IPVS is part of every lab host's kernel: its sysctls exist before the scenario's are applied.
    ipvsOf(host);
    buildInterfaces(world, host, hs, spec);
  }
  for (const hs of spec.hosts) {
    const host = world.host(hs.name);
    for (const s of hs.sysctl) {
      const err = host.sysctls.set(s.key, s.value);
      if (err) {
        throw scenarioErrorAt(spec.file, s.pos, `hosts.${hs.name}.sysctl.${s.key}`, err.kind === 'unknown-key' ? 'a sysctl the lab models (see docs/scenario-format.md)' : 'a value in the sysctl\'s range', s.value);
      }
    }
    if (hs.cpu) {
      const cpu = ipvsOf(host).cpu;
      cpu.cost = { perPacket: hs.cpu.perPacket ?? cpu.cost.perPacket, perByte: hs.cpu.perByte ?? cpu.cost.perByte, backlog: hs.cpu.backlog ?? cpu.cost.backlog };
    }
    startServices(host, hs.services);
  }
  // `when:` conditions watch the trace from the first event on, time-0 configuration included.
  const watcher = new ConditionWatcher(world);
  if (!opts.checkOnly) {
    scheduleTimeline(world, shell, spec, watcher, 'when');
    scheduleNarration(world, spec, watcher, 'when');
  }
  for (const hs of spec.hosts) runScript(world, shell, spec, hs, 0, opts.checkOnly ?? false);
  installDaemons(world, spec, !opts.checkOnly);
  const answer: AnswerOutcome[] = (opts.answer ?? []).map((a) => ({ ...a }));
  if (!opts.checkOnly) runAnswer(world, shell, answer, 0);

  const probes: OutputProbe[] = [];
  if (opts.checkOnly) {
    for (const [i, t] of spec.timeline.entries()) if (t.action.kind === 'run' && t.action.fails !== true) checkLine(shell, spec, t.action.run, t.action.runPos, `timeline[${i}].run`);
    for (const [i, { spec: e, goal }] of allExpectations(spec).entries()) {
      if (e.kind === 'output') checkLine(shell, spec, e.run, e.pos, goal ? `exercise.goal[${i - spec.expect.length}].run` : `expect[${i}].run`);
    }
    return { world, shell, probes, answer };
  }
  scheduleTimeline(world, shell, spec, watcher, 'at');
  scheduleNarration(world, spec, watcher, 'at');
  allExpectations(spec).forEach(({ spec: e }, index) => {
    if (e.kind !== 'output') return;
    const probe: OutputProbe = { index };
    probes.push(probe);
    const host = world.host(e.host);
    world.sim.scheduleAt(e.at, () => shell.run(host, e.run, (r) => (probe.output = r)), Priority.admin);
  });
  for (const tr of spec.traffic) {
    const host = world.host(tr.from);
    const client = new RequestClient(host, { to: tr.to, port: tr.port, request: tr.request, count: tr.count, interval: tr.interval });
    world.sim.scheduleAt(tr.at, () => client.start());
  }
  startWorkloads(world, spec);
  return { world, shell, probes, answer };
}

/** An exercise answer's commands, in order, each starting when the one before finished; failures are outcomes. */
function runAnswer(world: World, shell: Shell, lines: AnswerOutcome[], index: number): void {
  for (let i = index; i < lines.length; i++) {
    const a = lines[i];
    let sync = true;
    shell.run(world.host(a.host), a.run, (r) => {
      a.result = r;
      if (!sync) runAnswer(world, shell, lines, i + 1);
    });
    sync = false;
    if (a.result === undefined) return; // waits on the network
  }
}

function buildInterfaces(world: World, host: Host, hs: HostSpec, spec: ScenarioSpec): void {
  for (const is of hs.interfaces) {
    let dev;
    if (is.name === 'lo') {
      dev = host.loopback;
    } else {
      const seg = spec.segments.find((s) => s.name === is.segment)!;
      dev = host.addInterface(is.name, 'ether', is.mac ?? deriveMac(hs.name, is.name), 1500);
      const cable = new Cable(world.ctx, world.segments.get(seg.name)!, `${hs.name}/${is.name}`, {
        bandwidth: is.bandwidth ?? seg.bandwidth,
        latency: is.latency ?? seg.latency,
        queue: seg.queue,
      });
      host.plug(dev, cable);
      world.cables.set(`${hs.name}/${is.name}`, cable);
      const tx = cable.onTx;
      cable.onTx = (f, fid) => {
        tx(f, fid);
        for (const tap of world.taps) tap(seg.name, world.sim.now(), f);
      };
    }
    for (const a of is.addresses) {
      const r = host.addAddress(dev, { address: a.cidr.address, prefixLen: a.cidr.prefixLen, scope: Scope.global, label: dev.name });
      if (typeof r === 'string') {
        throw scenarioErrorAt(spec.file, a.pos, `hosts.${hs.name}.interfaces.${is.name}.addresses`, 'an address not already on the interface', a.text);
      }
    }
  }
}

/** Runs a host's `commands` in order at time 0, each starting when the previous one finished. */
function runScript(world: World, shell: Shell, spec: ScenarioSpec, hs: HostSpec, index: number, checkOnly: boolean): void {
  const host = world.host(hs.name);
  for (let i = index; i < hs.commands.length; i++) {
    const c = hs.commands[i];
    const name = commandName(c.run);
    if (checkOnly && NETWORK_COMMANDS.has(name)) {
      checkLine(shell, spec, c.run, c.pos, `hosts.${hs.name}.commands[${i}]`);
      continue;
    }
    let sync = true;
    let result: CommandResult | undefined;
    shell.run(host, c.run, (r) => {
      if (sync) {
        result = r;
        return;
      }
      failIfConfigError(spec, hs, i, r);
      runScript(world, shell, spec, hs, i + 1, checkOnly);
    });
    sync = false;
    if (result) {
      failIfConfigError(spec, hs, i, result);
      continue;
    }
    return; // waits on the network: the rest of the script continues from the callback
  }
}

function failIfConfigError(spec: ScenarioSpec, hs: HostSpec, i: number, r: CommandResult): void {
  const c = hs.commands[i];
  const name = commandName(c.run);
  if (r.exit !== 0 && (!NETWORK_COMMANDS.has(name) || r.exit === 127 || r.exit === 2)) {
    throw scenarioErrorAt(spec.file, c.pos, `hosts.${hs.name}.commands[${i}]`, `a command that succeeds (exit ${r.exit}: ${r.output.trim().split('\n')[0] ?? ''})`, c.run);
  }
}

function checkLine(shell: Shell, spec: ScenarioSpec, line: string, pos: { line: number; column: number }, path: string): void {
  const err = shell.check(line);
  if (err !== undefined) throw scenarioErrorAt(spec.file, pos, path, `a valid command (${err.trim()})`, line);
}

function commandName(line: string): string {
  const first = line.trim().split(/\s+/)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
}

/**
 * A locally administered unicast MAC derived from host and interface names (FNV-1a), so files that give no
 * MAC still get stable, distinct addresses.
 */
export function deriveMac(host: string, iface: string): string {
  let h = 0x811c9dc5;
  const s = `${host}/${iface}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let h2 = 0x811c9dc5;
  for (let i = s.length - 1; i >= 0; i--) {
    h2 ^= s.charCodeAt(i);
    h2 = Math.imul(h2, 0x01000193) >>> 0;
  }
  const bytes = [0x02, h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255, h2 & 255];
  const mac = bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  return mac === MAC_ZERO ? '02:00:00:00:00:01' : mac;
}
