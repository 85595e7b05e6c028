import type { Diagnostic, DirectorAddress } from '../admin/importers/index.ts';
import { ipvsTableRules } from '../admin/importers/index.ts';
import { requestedBytes } from '../apps/httpProtocol.ts';
import { DEFAULT_CHECK_FILE } from '../apps/index.ts';
import type { HostSpec, ScenarioSpec, ServiceSpec } from '../scenario/index.ts';
import { formatIpv4, inSubnet, isLoopback, parseIpv4 } from '../wire/index.ts';
import { escapeRe, type DirectorPlan } from './generateTopology.ts';
import { extraServers, keepalivedDaemon, ldirectordDaemon, type CheckedHost, type DaemonContext, type DaemonPlan } from './importDaemons.ts';

/**
 * `lvs-lab import keepalived.conf|ldirectord.cf --topology SCENARIO.yaml` (docs/config-import.md): the daemon
 * goes onto the given topology's director as its `keepalived:` / `ldirectord:` block, written by the same
 * builder as for a generated topology (importDaemons.ts), while the topology's own hosts stay as written. The
 * builder decides what the real servers must answer (listeners, check files) on stand-in records; this file
 * compares that with what the topology's hosts serve and warns, at the check's line, where a check will fail.
 */

export interface TopologyDaemon {
  /** the `keepalived:` / `ldirectord:` block: YAML lines indented by 4, as under a host */
  block: string[];
  /** director commands to run after its own (service addresses, static services, the sync daemon) */
  commands: string[];
  /** ms: the daemons are ready (VRRP MASTER, alpha real servers checked) plus a second, and at least 1 s */
  readyAt: number;
}

interface Stand {
  host: HostSpec;
  address: string;
  checked: CheckedHost;
}

/** The daemon block and commands for `director` of `spec`; undefined when an error was reported. */
export function daemonOntoTopology(plan: DirectorPlan, daemon: DaemonPlan, spec: ScenarioSpec, director: HostSpec, file: string, diagnostics: Diagnostic[]): TopologyDaemon | undefined {
  const errors = diagnostics.length;
  const error = (line: number, message: string) => diagnostics.push({ file, line, severity: 'error', code: 'IMPORT_TOPOLOGY', message });
  const warn = (line: number, code: string, message: string) => diagnostics.push({ file, line, severity: 'warning', code, message });

  const devs = new Set(['lo', ...director.interfaces.map((i) => i.name)]);
  const holds = (h: HostSpec, a: number) => h.interfaces.some((i) => i.addresses.some((c) => c.cidr.address === a));
  const devOf = (address: string): string | undefined => {
    const a = parseIpv4(address);
    if (a === undefined) return undefined;
    return director.interfaces.find((i) => i.name !== 'lo' && i.addresses.some((c) => inSubnet(a, c.cidr.address, c.cidr.prefixLen)))?.name;
  };
  const serviceAddrs = plan.table.services.flatMap((s) => (s.key.kind === 'address' ? [s.key.address] : []));
  const local = (address: string) => {
    const a = parseIpv4(address);
    return a === undefined || isLoopback(a) || holds(director, a) || plan.addresses.some((x) => x.address === address) || serviceAddrs.includes(address);
  };
  // A real server is the host (other than the director) whose interface holds its address.
  const hostOf = (address: string): HostSpec | undefined => {
    const a = parseIpv4(address);
    return a === undefined ? undefined : spec.hosts.find((h) => h !== director && h.interfaces.some((i) => i.name !== 'lo' && i.addresses.some((c) => c.cidr.address === a)));
  };
  const stands = new Map<string, Stand>();
  const stand = (address: string): Stand | undefined => {
    const known = stands.get(address);
    if (known) return known;
    const host = hostOf(address);
    if (!host) return undefined;
    const s: Stand = { host, address, checked: { name: host.name, checkPorts: new Set(), checkFiles: new Map(), checkLines: new Map() } };
    stands.set(address, s);
    return s;
  };
  const firstDev = director.interfaces.find((i) => i.name !== 'lo')?.name ?? 'eth0';
  const ctx: DaemonContext = {
    file,
    diagnostics,
    devs,
    devOf,
    defaultDev: (serviceAddrs[0] !== undefined ? devOf(serviceAddrs[0]) : undefined) ?? firstDev,
    local,
    host: (a) => stand(a)?.checked,
    checkSource: (a) => {
      const x = parseIpv4(a);
      const c = x === undefined ? undefined : director.interfaces.flatMap((i) => i.addresses).find((c) => inSubnet(x, c.cidr.address, c.cidr.prefixLen));
      return c ? formatIpv4(c.cidr.address) : undefined;
    },
    responseBytes: 1024,
    port0: 80,
  };

  if (daemon.kind === 'keepalived') {
    const g = daemon.config.globalDefs;
    for (const inst of daemon.config.vrrpInstances) {
      const iface = inst.interface ?? g.defaultInterface ?? inst.virtualIpAddresses[0]?.dev;
      if (iface !== undefined && !devs.has(iface)) error(inst.line, `(${inst.name}) interface ${iface}: the topology's director ${director.name} has no such interface`);
      for (const a of inst.virtualIpAddresses) {
        if (a.dev !== undefined && !devs.has(a.dev)) error(a.line, `(${inst.name}) ${a.address} dev ${a.dev}: the topology's director ${director.name} has no such interface`);
      }
      const vrid = inst.virtualRouterId;
      const peers = spec.hosts.filter((h) => h !== director && h.keepalived?.config.vrrpInstances.some((p) => p.vrid === vrid));
      if (peers.length === 0) {
        warn(inst.line, 'IMPORT_VRRP_ALONE', `(${inst.name}) no other host of the topology runs VRRP router ${vrid ?? '?'}: ${director.name} runs the instance alone and becomes MASTER; the import does not add a backup director (give one its own keepalived: block in the topology)`);
      }
    }
  }
  if (diagnostics.slice(errors).some((d) => d.severity === 'error')) return undefined;

  const out = daemon.kind === 'keepalived' ? keepalivedDaemon(daemon.config, daemon.text, plan.table.services, ctx) : ldirectordDaemon(daemon.config, daemon.text, plan.table.services, daemon.heartbeat, ctx);

  // The addresses the daemon does not add: ldirectord's VIPs (and IPaddr2's), a keepalived service address no
  // VRRP instance holds. One the director already has, or that its commands add, is left to it.
  const commands: string[] = [];
  const wanted: DirectorAddress[] =
    daemon.kind === 'keepalived'
      ? plan.table.services.flatMap((s) => {
          const k = s.key;
          return k.kind === 'address' && !plan.addresses.some((a) => a.address === k.address) ? [{ line: s.line ?? 1, address: k.address }] : [];
        })
      : plan.addresses;
  const added = new Set<string>();
  for (const a of wanted) {
    const x = parseIpv4(a.address);
    if (x === undefined || added.has(a.address) || holds(director, x) || addedByCommand(director, a.address)) continue;
    added.add(a.address);
    if (a.dev !== undefined && !devs.has(a.dev)) {
      error(a.line, `${a.address} dev ${a.dev}: the topology's director ${director.name} has no such interface`);
      continue;
    }
    const dev = a.dev ?? devOf(a.address);
    if (dev === undefined) {
      error(a.line, `${a.address} is on none of ${director.name}'s networks and the configuration names no interface for it: give the director the address in the topology`);
      continue;
    }
    commands.push(`ip addr add ${a.address}/${a.prefix ?? 32} dev ${dev}${a.label !== undefined ? ` label ${a.label}` : ''}`);
  }
  if (diagnostics.slice(errors).some((d) => d.severity === 'error')) return undefined;
  commands.push(...ipvsTableRules({ services: out.staticServices }).map((r) => `ipvsadm ${r}`));
  commands.push(...out.commands);

  // What the checks need of the real servers, against what the topology's hosts serve.
  for (const s of stands.values()) {
    for (const [port, firstLine] of s.checked.checkLines ?? []) {
      const choice = s.checked.checkFiles.get(port);
      const svc = s.host.services.find((x) => x.protocol === 'tcp' && x.port === port);
      const http = choice !== undefined;
      const need = http ? `serve ${choice.path} on port ${port}${choice.accepts ? ' with a body the check accepts' : ''}` : `listen on TCP port ${port}`;
      const lacks = !svc
        ? `it has no TCP service on port ${port}`
        : http && svc.app !== undefined && svc.app !== 'http'
          ? `its service on port ${port} is ${svc.app}, not a web server`
          : choice?.accepts && !choice.accepts(servedBody(svc, choice.path))
            ? `its service on port ${port} answers ${choice.path} with another body`
            : undefined;
      if (lacks === undefined) continue;
      const line = choice?.accepts && svc ? (choice.line ?? firstLine) : firstLine;
      const example = http ? `{ port: ${port}, check: { path: ${JSON.stringify(choice.path)}, body: ${JSON.stringify(choice.body)} } }` : `{ port: ${port} }`;
      warn(line, 'IMPORT_CHECK_UNSERVED', `the check of real server ${s.address} needs host ${s.host.name} to ${need}, but ${lacks}: the check will fail until that host serves it (e.g. services: [ ${example} ])`);
    }
  }
  // Real servers, sorry servers and fallbacks no host of the topology holds.
  const missing = new Set<string>();
  const absent = (address: string, line: number, what: string) => {
    if (local(address) || hostOf(address) || missing.has(address)) return;
    missing.add(address);
    warn(line, 'IMPORT_NO_HOST', `${what} ${address}: no host of the topology has that address, so ${what === 'real server' ? 'its checks fail and connections scheduled to it are lost' : 'it cannot answer when the daemon puts it in the table'} until a host holds it`);
  };
  if (daemon.kind === 'keepalived') {
    for (const vs of daemon.config.virtualServers) for (const rs of vs.realServers) absent(rs.address, rs.checkers[0]?.line ?? rs.line, 'real server');
  } else {
    for (const v of daemon.config.virtuals) for (const r of v.reals) absent(r.address, r.line, 'real server');
  }
  for (const x of extraServers(daemon)) {
    absent(x.address, x.line, x.kind === 'sorry' ? 'sorry server' : 'fallback');
    const h = local(x.address) ? undefined : hostOf(x.address);
    if (h && x.port !== 0 && !h.services.some((s) => s.protocol === 'tcp' && s.port === x.port)) {
      warn(x.line, 'IMPORT_CHECK_UNSERVED', `${x.kind === 'sorry' ? 'sorry server' : 'fallback'} ${x.address}: host ${h.name} has no TCP service on port ${x.port}, so it cannot answer when the daemon puts it in the table`);
    }
  }
  return { block: out.block, commands, readyAt: out.trafficStart };
}

/** What the lab's web server (HttpServer) sends for `path`: its check file, or a body of the size asked for. */
function servedBody(svc: ServiceSpec, path: string): Uint8Array {
  const check = svc.check ?? DEFAULT_CHECK_FILE;
  if (path === check.path) {
    const b = new Uint8Array(check.body.length);
    for (let i = 0; i < b.length; i++) b[i] = check.body.charCodeAt(i) & 0xff;
    return b;
  }
  return new Uint8Array(requestedBytes(path) ?? svc.response);
}

/** Whether one of the host's own `ip addr add` / `ifconfig` commands adds the address. */
function addedByCommand(h: HostSpec, address: string): boolean {
  const word = new RegExp(`(^|\\s)${escapeRe(address)}(/\\d+)?(\\s|$)`);
  return h.commands.some((c) => /^\s*(ip\s+(-\S+\s+)*a(d|dd|ddr|ddre|ddres|ddress)?\s+add\b|ifconfig\b)/.test(c.run) && word.test(c.run));
}
