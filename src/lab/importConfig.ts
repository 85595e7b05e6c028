import {
  decodeIpAddr,
  describeKeepalived,
  describeLdirectord,
  detectFormat,
  ipvsTableRules,
  parseHaresources,
  parseIpvsadmSave,
  parseIpvsadmScript,
  parseKeepalivedConf,
  parseLdirectordCf,
  type ConfigFormat,
  type Diagnostic,
  type DirectorAddress,
  type ScriptCommand,
} from '../admin/importers/index.ts';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { Shell } from '../admin/index.ts';
import { buildScenario, loadScenario, ScenarioError, type ScenarioSpec } from '../scenario/index.ts';
import { MS } from '../sim/index.ts';
import { LAB_COMMANDS } from '../scenario/labCommands.ts';
import { escapeRe, generateScenario, listLine, type DirectorPlan } from './generateTopology.ts';
import type { DaemonPlan, HeartbeatPlan } from './importDaemons.ts';
import { daemonOntoTopology } from './daemonOntoTopology.ts';

/**
 * `lvs-lab import`: a real configuration file (an ipvsadm shell script, `ipvsadm -S` output, keepalived.conf,
 * ldirectord.cf) → a runnable scenario (docs/config-import.md). The file describes only the director, so a
 * topology is generated around it:
 *
 *   client ── internet ── router ── (VIP network) ── director ── (real-server network) ── rs1, rs2, ...
 *
 * one segment per network the configuration implies (the VIP's, and each real-server /24 not already known),
 * the director on each, one host per real-server address answering on every port it serves, and a router
 * between the VIP network and a client network, which also stands on each real-server network whose servers
 * answer directly (DR, TUN). Real servers are set up as their forwarding method needs: NAT servers route through
 * the director, DR servers hold the VIP on `lo` with arp_ignore=1/arp_announce=2, TUN servers on `tunl0`.
 * The director's commands are the script's own lines (ipvsadm, ip, ifconfig, route, echo, cat, ping, ...) or,
 * for `ipvsadm -S` output, the `ip addr` and `ipvsadm` lines the table implies. keepalived.conf and ldirectord.cf
 * become the director's `keepalived:` / `ldirectord:` block instead (importDaemons.ts): the daemon builds the
 * table, VRRP adds keepalived's VIPs, and the real servers (and a sorry server or fallback, on hosts of their
 * own) answer the configured checks. Traffic goes to every TCP service once the daemons are ready, and the
 * expectations state what then happens: every request answered, each service's connections scheduled, every
 * real server of a spreading scheduler reached, every real server checked and up, VRRP MASTER.
 */

export interface ImportOptions {
  /** the file name, for diagnostics and the scenario's description */
  file: string;
  /** as given by --format; guessed from the content when absent */
  format?: ConfigFormat;
  /** ldirectord: heartbeat's haresources (IPaddr2 gives the VIP's prefix and interface) */
  haresources?: { text: string; file: string };
  /**
   * A scenario to use instead of the generated topology: its host `director` (or `directorHost`) gets the
   * configuration's commands after its own (keepalived.conf, ldirectord.cf: its `keepalived:` / `ldirectord:`
   * block); everything else is kept. Without `expect:` it gets one that checks the director's `ipvsadm -L -n`.
   */
  topology?: { text: string; file: string; directorHost?: string };
}

export interface ImportOutcome {
  format?: ConfigFormat;
  diagnostics: Diagnostic[];
  /** the scenario, when there were no errors */
  scenarioYaml?: string;
}


export function importConfig(text: string, opts: ImportOptions): ImportOutcome {
  const format = opts.format ?? detectFormat(text);
  if (!format) {
    return {
      diagnostics: [{ file: opts.file, line: 1, severity: 'error', code: 'IMPORT_FORMAT', message: 'cannot tell the format from the content; give --format ipvsadm, ipvsadm-save, keepalived or ldirectord' }],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const plan = readPlan(format, text, opts, diagnostics);
  if (!plan || diagnostics.some((d) => d.severity === 'error')) return { format, diagnostics };
  if (opts.topology) return intoTopology(plan, format, opts, opts.topology, diagnostics);
  // The scenario must build: a script line that fails on the generated director (a device the topology does
  // not have, a route the kernel refuses) fails in sh too, and sh goes on — warn, leave it out, build again.
  // Each failure costs a build of the whole scenario: past MAX_FAILING_COMMANDS the script is refused rather
  // than rebuilt once per line (a script of a thousand failing lines would take minutes).
  for (let failures = 0; ; failures++) {
    if (failures === MAX_FAILING_COMMANDS) {
      diagnostics.push({ file: opts.file, line: 1, severity: 'error', code: 'SH_TOO_MANY_FAILING', message: `more than ${MAX_FAILING_COMMANDS} commands fail on the generated director; fix the script, or give its own topology with --topology` });
      return { format, diagnostics };
    }
    const attempt: Diagnostic[] = [];
    const yaml = generateScenario(plan, format, opts.file, attempt);
    if (attempt.some((d) => d.severity === 'error')) return { format, diagnostics: [...diagnostics, ...attempt] };
    const failure = buildProblem(yaml, opts.file);
    if (!failure) return { format, diagnostics: [...diagnostics, ...attempt], scenarioYaml: yaml };
    const m = /^hosts\.director\.commands\[(\d+)\]/.exec(failure.path);
    const source = m && plan.script ? scriptCommandAt(plan, Number(m[1])) : undefined;
    if (!source || !plan.script) {
      diagnostics.push({ file: opts.file, line: 1, severity: 'error', code: 'IMPORT_GENERATED', message: `the generated scenario does not build (a configuration the generator cannot place): ${failure.message}` });
      return { format, diagnostics };
    }
    diagnostics.push({ file: opts.file, line: source.line, severity: 'warning', code: 'SH_COMMAND_FAILS', message: `the command fails on the generated director and is left out of the scenario: expected ${failure.expected}` });
    plan.script = plan.script.filter((c) => c !== source);
  }
}

/** Script commands that may fail on the generated director (each left out with a warning) before the import gives up. */
const MAX_FAILING_COMMANDS = 16;

/**
 * `--topology`: the configuration goes to the topology's director host — a script's lines or an `ipvsadm -S`
 * table as commands, a keepalived.conf or ldirectord.cf as the daemon block (daemonOntoTopology.ts).
 */
function intoTopology(plan: DirectorPlan, format: ConfigFormat, opts: ImportOptions, topo: { text: string; file: string; directorHost?: string }, diagnostics: Diagnostic[]): ImportOutcome {
  const name = topo.directorHost ?? 'director';
  const fail = (message: string): ImportOutcome => {
    diagnostics.push({ file: topo.file, line: 1, severity: 'error', code: 'IMPORT_TOPOLOGY', message });
    return { format, diagnostics };
  };
  const doc = parseDocument(topo.text);
  if (doc.errors.length > 0) return fail(`not a YAML scenario: ${doc.errors[0].message.split('\n')[0]}`);
  const host = doc.getIn(['hosts', name], true);
  if (!isMap(host)) return fail(`the topology has no host named ${name} (give the director's name with --director)`);
  const commands: string[] = [];
  // When the added check of `ipvsadm -L -n` runs: 1 s, or once the daemons are ready.
  let checkAt = 1000;
  if (plan.daemon) {
    let spec: ScenarioSpec;
    try {
      spec = loadScenario(topo.text, topo.file);
    } catch (e) {
      if (e instanceof ScenarioError) return fail(`the topology does not load: ${e.message}`);
      throw e;
    }
    const director = spec.hosts.find((h) => h.name === name);
    if (!director) return fail(`the topology has no host named ${name} (give the director's name with --director)`);
    const running = director.keepalived ? 'keepalived' : director.ldirectord ? 'ldirectord' : undefined;
    if (running) return fail(`${name} already runs ${running}: the imported ${plan.daemon.kind} would be a second daemon managing its IPVS table`);
    const placed = daemonOntoTopology(plan, plan.daemon, spec, director, opts.file, diagnostics);
    if (!placed) return { format, diagnostics };
    commands.push(...placed.commands);
    const block = parseDocument(placed.block.map((l) => l.slice(4)).join('\n')).contents as YAMLMap;
    host.set(plan.daemon.kind, block.get(plan.daemon.kind, true));
    checkAt = placed.readyAt;
    // The check needs the run to reach it (the generated path's runs end half a second after theirs).
    if (!doc.has('expect') && spec.duration < (checkAt + 500) * MS) {
      diagnostics.push({ file: topo.file, line: 1, severity: 'warning', code: 'IMPORT_DURATION', message: `the run is lengthened from ${spec.duration / MS} ms to ${checkAt + 500} ms so that the added ipvsadm -L -n check at ${checkAt} ms, once the daemons are ready, runs` });
      doc.set('duration', `${checkAt + 500}ms`);
    }
  } else if (plan.script) commands.push(...plan.script.map((c) => c.text));
  else {
    for (const a of plan.addresses) {
      if (a.dev === undefined) return fail(`${a.address} (line ${a.line}) has no interface: the generated topology would choose one, a given topology cannot`);
      commands.push(`ip addr add ${a.address}/${a.prefix ?? 32} dev ${a.dev}${a.label !== undefined ? ` label ${a.label}` : ''}`);
    }
    commands.push(...ipvsTableRules(plan.table).map((r) => `ipvsadm ${r}`));
  }
  const existing = host.get('commands', true);
  if (isSeq(existing)) for (const c of commands) existing.add(doc.createNode(c));
  else if (commands.length > 0 || !plan.daemon) host.set('commands', doc.createNode(commands));
  if (!doc.has('expect')) {
    const lines = plan.table.services.map((sv) => `(?=[\\s\\S]*^${escapeRe(listLine(sv))}$)`).join('');
    doc.set('expect', doc.createNode([{ at: checkAt % 1000 === 0 ? `${checkAt / 1000}s` : `${checkAt}ms`, host: name, run: 'ipvsadm -L -n', output: { matches: lines === '' ? '^IP Virtual Server' : lines } }]));
  }
  const yaml = doc.toString({ lineWidth: 0 });
  const problem = buildProblem(yaml, opts.file);
  if (problem) return fail(`the topology with the configuration's commands does not build: ${problem.message}`);
  return { format, diagnostics, scenarioYaml: yaml };
}

/** Builds the scenario as `lvs-lab check` does; the ScenarioError it raises, if any. */
function buildProblem(yaml: string, file: string): ScenarioError | undefined {
  try {
    buildScenario(loadScenario(yaml, `${file}.yaml`), { checkOnly: true });
    return undefined;
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
}

/** The script command that is the director's `commands[index]` (the route the importer adds comes first). */
function scriptCommandAt(plan: DirectorPlan, index: number): ScriptCommand | undefined {
  const script = plan.script ?? [];
  const offset = plan.defaultGateway === undefined ? 1 : 0;
  return script[index - offset];
}

function readPlan(format: ConfigFormat, text: string, opts: ImportOptions, diagnostics: Diagnostic[]): DirectorPlan | undefined {
  switch (format) {
    case 'ipvsadm': {
      const r = parseIpvsadmScript(text, opts.file);
      diagnostics.push(...r.diagnostics);
      if (!r.model) return undefined;
      // Every kept line must be one the lab's shell accepts; a line the real tool refuses (seed 000's
      // `iptables -t nat -P POSTROUTING DROP`) fails in sh too and the script goes on: warn and leave it out.
      const shell = new Shell(LAB_COMMANDS);
      const script: ScriptCommand[] = [];
      for (const c of r.model.commands) {
        const problem = shell.check(c.text);
        if (problem === undefined) script.push(c);
        else diagnostics.push({ file: opts.file, line: c.line, severity: 'warning', code: 'SH_COMMAND_FAILS', message: `the command fails and is left out of the scenario: ${problem.trim().split('\n').filter((l) => l.trim() !== '')[0] ?? ''}` });
      }
      const plan: DirectorPlan = {
        table: r.model.table,
        addresses: r.model.addresses.map((a) => ({ line: a.line, address: a.address, dev: a.dev, ...(a.prefix !== undefined ? { prefix: a.prefix } : {}), ...(a.label !== undefined ? { label: a.label } : {}) })),
        script,
        notes: [],
      };
      if (r.model.defaultGateway) plan.defaultGateway = r.model.defaultGateway.via;
      if (!r.model.ipForward) plan.noIpForward = true;
      return plan;
    }
    case 'ipvsadm-save': {
      const r = parseIpvsadmSave(text, opts.file);
      diagnostics.push(...r.diagnostics);
      return r.model ? { table: r.model, addresses: [], notes: [] } : undefined;
    }
    case 'keepalived': {
      const r = parseKeepalivedConf(text, opts.file);
      diagnostics.push(...r.diagnostics);
      if (!r.model) return undefined;
      // The description's notes come from the daemon block (importDaemons.ts).
      return { ...describeKeepalived(r.model), notes: [], daemon: { kind: 'keepalived', config: r.model, text } };
    }
    case 'ldirectord': {
      const r = parseLdirectordCf(text, opts.file);
      diagnostics.push(...r.diagnostics);
      if (!r.model) return undefined;
      const plan: DirectorPlan = { ...describeLdirectord(r.model), notes: [] };
      const daemon: DaemonPlan = { kind: 'ldirectord', config: r.model, text };
      plan.daemon = daemon;
      if (opts.haresources) {
        const h = parseHaresources(opts.haresources.text, opts.haresources.file);
        diagnostics.push(...h.diagnostics);
        // One director: the node runs every resource group (heartbeat on a lone node takes them all).
        for (const g of h.model ?? []) {
          const hb: HeartbeatPlan = daemon.heartbeat ?? { file: opts.haresources.file, line: g.line, node: g.node, others: [] };
          daemon.heartbeat = hb;
          for (const res of g.resources) {
            if (res.name === 'LVSSyncDaemonSwap') {
              const state = res.args[0];
              if (state === 'master' || state === 'backup') hb.syncDaemon = state;
              else hb.others.push(`LVSSyncDaemonSwap::${res.args.join('::')}`);
              continue;
            }
            if (res.name === 'ldirectord') {
              if (res.args[0] !== undefined) hb.ldirectordFile = res.args[0];
              continue;
            }
            const ip = res.name === 'IPaddr2' || res.name === 'IPaddr' ? decodeIpAddr(res.args[0] ?? '') : undefined;
            if (!ip) {
              if (res.name !== 'IPaddr2' && res.name !== 'IPaddr') hb.others.push([res.name, ...res.args].join('::'));
              continue;
            }
            const existing = plan.addresses.find((a) => a.address === ip.address);
            const entry: DirectorAddress = { line: g.line, address: ip.address, ...(ip.prefix !== undefined ? { prefix: ip.prefix } : {}), ...(ip.dev !== undefined ? { dev: ip.dev } : {}) };
            if (existing) Object.assign(existing, entry);
            else plan.addresses.push(entry);
          }
        }
      }
      return plan;
    }
  }
}
