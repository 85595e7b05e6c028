import type { ConfigFormat, Diagnostic, DirectorAddress, IpvsTable, IpvsTableService, ScriptCommand } from '../admin/importers/index.ts';
import { ipvsTableRules, serviceLabel } from '../admin/importers/index.ts';
import { formatIpv4, isLoopback, networkOf, parseIpv4, prefixMask } from '../wire/index.ts';
import { extraServers, keepalivedDaemon, ldirectordDaemon, type CheckChoice, type DaemonContext, type DaemonOutput, type DaemonPlan } from './importDaemons.ts';

/**
 * The topology `lvs-lab import` builds around a director that a configuration file describes (docs/config-import.md,
 * "The generated scenario"), written as scenario YAML by hand so that a script's comments survive:
 *
 *   client ── internet ── router ── vipnet ── director ── rsnet… ── rs1, rs2, …
 *
 * plus the traffic and the expectations that describe what then happens.
 */

/** What the generator needs from any of the four formats. */
export interface DirectorPlan {
  table: IpvsTable;
  addresses: DirectorAddress[];
  /** a shell script's own commands, verbatim; absent: generate them from table and addresses */
  script?: ScriptCommand[];
  defaultGateway?: string;
  /** a script that never turns ip_forward on (its NAT replies will not be forwarded) */
  noIpForward?: boolean;
  notes: string[];
  /** keepalived.conf / ldirectord.cf: the daemon that runs on the director (it builds the table) */
  daemon?: DaemonPlan;
}


interface Net {
  name: string;
  network: number;
  prefix: number;
  /** the director's interface on it */
  dev: string;
  /** the director's primary address */
  director: number;
  /** the router's address, when the router stands on it */
  router?: number;
  /** further addresses of the director's interface (a script's service VIPs it never assigns) */
  extra: number[];
  /**
   * further director interfaces the configuration puts on this network (a script's `ifconfig eth0:01` for an
   * address of a subnet `eth1` already holds): plugged into the same segment, addresses from the script.
   */
  alsoDevs: string[];
}

interface RsHost {
  name: string;
  address: string;
  net: Net;
  ports: Set<number>;
  /** forwarding methods of its weighted servers (what it is set up for) */
  fwd: Set<'masq' | 'route' | 'tunnel'>;
  anyFwd: Set<'masq' | 'route' | 'tunnel'>;
  vips: Set<string>;
  /** a sorry server or fallback rather than a real server */
  role: 'real' | 'sorry' | 'fallback';
  /** TCP ports the daemon's checks connect to */
  checkPorts: Set<number>;
  checkFiles: Map<number, CheckChoice>;
}

const PORT0_TRAFFIC = 80;
/** the body size of the generated servers' responses (`response: 1KB`) */
const RESPONSE_BYTES = 1024;

function ip(a: string): number {
  return parseIpv4(a) as number;
}

export function generateScenario(plan: DirectorPlan, format: ConfigFormat, file: string, diagnostics: Diagnostic[]): string {
  const used = new Set<number>();
  const note = (a: string | undefined) => a !== undefined && parseIpv4(a) !== undefined && used.add(ip(a));
  for (const s of plan.table.services) {
    if (s.key.kind === 'address') note(s.key.address);
    for (const d of s.destinations) note(d.address);
  }
  for (const a of plan.addresses) note(a.address);
  note(plan.defaultGateway);

  const addressServices = plan.table.services.filter((s): s is IpvsTableService & { key: { kind: 'address' } } => s.key.kind === 'address');
  let firstVip = addressServices[0]?.key.address ?? plan.addresses[0]?.address;
  if (firstVip === undefined) {
    // Nothing says where the director stands (seed 003's masquerading fragment): a director on a documentation
    // network, running the script, with no traffic.
    diagnostics.push({ file, line: 1, severity: 'warning', code: 'IMPORT_NO_SERVICE', message: 'the configuration names no virtual service and no address: the scenario has a director running it, and no traffic' });
    firstVip = '10.0.0.100';
  }
  // A script that never assigns a service's address to an interface means the director's own address is the VIP
  // (seed 000's HOWTO: the external interface has 81.57.54.100): make it the director's address on that network.
  const scriptVips = plan.script ? addressServices.map((s) => s.key.address).filter((a, i, all) => all.indexOf(a) === i && !plan.addresses.some((x) => x.address === a)) : [];

  const nets: Net[] = [];
  const devs = new Set<string>();
  const netOf = (a: number): Net | undefined => nets.find((n) => (a & prefixMask(n.prefix)) >>> 0 === n.network);
  const freeIn = (network: number, prefix: number, fromTop: boolean): number => {
    const size = 2 ** (32 - prefix);
    for (let k = 1; k < size - 1; k++) {
      const a = (network + (fromTop ? size - 1 - k : k)) >>> 0;
      if (!used.has(a)) {
        used.add(a);
        return a;
      }
    }
    throw new Error(`no free address in ${formatIpv4(network)}/${prefix}`);
  };
  const nextDev = (): string => {
    for (let i = 0; ; i++) if (!devs.has(`eth${i}`)) return `eth${i}`;
  };
  const addNet = (name: string, addr: number, prefix: number, dev: string | undefined, directorAddr?: number): Net => {
    const existing = netOf(addr);
    if (existing) {
      // A second interface of the director on a network already placed: it gets its own cable to the segment,
      // so the script's line that configures it runs (two NICs on one LAN, as Linux allows).
      if (dev !== undefined && !devs.has(dev)) {
        devs.add(dev);
        existing.alsoDevs.push(dev);
      }
      return existing;
    }
    const d = dev !== undefined && !devs.has(dev) ? dev : nextDev();
    devs.add(d);
    const network = networkOf(addr, prefix) >>> 0;
    const n: Net = { name, network, prefix, dev: d, director: 0, extra: [], alsoDevs: [] };
    nets.push(n);
    n.director = directorAddr ?? freeIn(network, prefix, true);
    return n;
  };
  // A /32 (or /31) VIP still lives on a broadcast network; a /24 is the usual one.
  const netPrefix = (p: number | undefined) => (p === undefined || p > 30 ? 24 : p);
  const vipEntry = plan.addresses.find((a) => a.address === firstVip);
  // The router takes the script's gateway address before the director picks its own.
  if (plan.defaultGateway !== undefined) used.add(ip(plan.defaultGateway));
  // ...as its only address when every server of it is NAT; a DR or TUN director also needs an address of its own
  // to ARP for its real servers from (a real server holds the VIP and would not answer a request sent from it).
  const natOnly = (vip: string) => plan.table.services.every((s) => s.key.kind !== 'address' || s.key.address !== vip || s.destinations.every((d) => d.fwd === 'masq'));
  const vipPrimary = scriptVips.includes(firstVip) && natOnly(firstVip);
  const vipNet = addNet('vipnet', ip(firstVip), netPrefix(vipEntry?.prefix), vipEntry?.dev, vipPrimary ? ip(firstVip) : undefined);
  if (scriptVips.includes(firstVip) && !vipPrimary) vipNet.extra.push(ip(firstVip));
  const gw = plan.defaultGateway !== undefined && netOf(ip(plan.defaultGateway)) === vipNet ? ip(plan.defaultGateway) : undefined;
  vipNet.router = gw ?? freeIn(vipNet.network, vipNet.prefix, true);
  for (const a of plan.addresses) if (a.dev !== undefined || a.prefix !== undefined) addNet(`net${nets.length}`, ip(a.address), netPrefix(a.prefix), a.dev);
  for (const v of scriptVips) {
    if (v === firstVip) continue;
    const n = netOf(ip(v));
    if (n) n.extra.push(ip(v));
    else if (natOnly(v)) addNet(`net${nets.length}`, ip(v), 24, undefined, ip(v));
    else addNet(`net${nets.length}`, ip(v), 24, undefined).extra.push(ip(v));
  }

  // Real servers, one host per address; addresses of the director itself (a local fallback) get none.
  // Addresses the director itself holds: its configured ones and every service address (a real server there is
  // the director: IPVS's local-node forwarding, no host of its own).
  const configuredAddrs = new Set(plan.addresses.map((a) => a.address));
  const directorAddrs = new Set([...configuredAddrs, ...addressServices.map((s) => s.key.address)]);
  const hosts: RsHost[] = [];
  for (const s of plan.table.services) {
    for (const d of s.destinations) {
      if (isLoopback(ip(d.address)) || directorAddrs.has(d.address)) continue;
      let h = hosts.find((x) => x.address === d.address);
      if (!h) {
        let net = netOf(ip(d.address));
        if (!net) net = addNet(`rsnet${nets.length}`, ip(d.address), 24, undefined);
        h = { name: `rs${hosts.length + 1}`, address: d.address, net, ports: new Set(), fwd: new Set(), anyFwd: new Set(), vips: new Set(), role: 'real', checkPorts: new Set(), checkFiles: new Map() };
        hosts.push(h);
      }
      const port = s.key.kind === 'address' && s.key.port === 0 ? PORT0_TRAFFIC : d.port;
      if (s.key.kind === 'address' && s.key.protocol === 'tcp' && port !== 0) h.ports.add(port);
      // The methods a host must be set up for are those of its servers that get traffic (weight above 0).
      if (d.weight > 0) h.fwd.add(d.fwd);
      h.anyFwd.add(d.fwd);
      if (s.key.kind === 'address') h.vips.add(s.key.address);
    }
  }
  // A daemon's sorry server or fallback needs a host too (not when it is the director, or a real server).
  const extraCount = { sorry: 0, fallback: 0 };
  for (const x of plan.daemon ? extraServers(plan.daemon) : []) {
    if (isLoopback(ip(x.address)) || directorAddrs.has(x.address)) continue;
    let h = hosts.find((y) => y.address === x.address);
    if (!h) {
      let net = netOf(ip(x.address));
      if (!net) net = addNet(`rsnet${nets.length}`, ip(x.address), 24, undefined);
      const n = ++extraCount[x.kind];
      h = { name: `${x.kind}${n === 1 ? '' : n}`, address: x.address, net, ports: new Set(), fwd: new Set(), anyFwd: new Set(), vips: new Set(), role: x.kind, checkPorts: new Set(), checkFiles: new Map() };
      hosts.push(h);
    }
    if (x.port !== 0) h.ports.add(x.port);
    h.fwd.add(x.fwd);
    h.anyFwd.add(x.fwd);
    if (x.vip !== undefined) h.vips.add(x.vip);
  }
  for (const h of hosts) if (h.fwd.size === 0) for (const f of h.anyFwd) h.fwd.add(f);
  for (const n of nets) {
    if (n !== vipNet && hosts.some((h) => h.net === n && (h.fwd.has('route') || h.fwd.has('tunnel')))) n.router = freeIn(n.network, n.prefix, true);
  }
  // One default gateway cannot serve NAT (replies through the director) and DR/TUN (replies around it) at once.
  const mixed = (h: RsHost) => h.fwd.has('masq') && (h.fwd.has('route') || h.fwd.has('tunnel'));
  // The client's network: TEST-NET-3 unless the configuration uses it.
  const clientNetBase = [ip('203.0.113.0'), ip('198.51.100.0'), ip('192.0.2.0')].find((b) => ![...used].some((a) => (a & 0xffffff00) >>> 0 === b)) ?? ip('172.31.255.0');
  const client = (clientNetBase + 10) >>> 0;
  const routerOut = (clientNetBase + 1) >>> 0;

  // The daemon (keepalived, ldirectord) builds the IPVS table and, with VRRP, adds the VIPs itself.
  let daemon: DaemonOutput | undefined;
  if (plan.daemon) {
    const ctx: DaemonContext = {
      file,
      diagnostics,
      devs: new Set(nets.map((n) => n.dev)),
      devOf: (a) => (parseIpv4(a) === undefined ? undefined : netOf(ip(a))?.dev),
      defaultDev: vipNet.dev,
      local: (a) => parseIpv4(a) === undefined || isLoopback(ip(a)) || directorAddrs.has(a),
      host: (a) => hosts.find((h) => h.address === a),
      checkSource: (a) => {
        const h = hosts.find((x) => x.address === a);
        return h ? formatIpv4(h.net.director) : undefined;
      },
      responseBytes: RESPONSE_BYTES,
      port0: PORT0_TRAFFIC,
    };
    daemon = plan.daemon.kind === 'keepalived' ? keepalivedDaemon(plan.daemon.config, plan.daemon.text, plan.table.services, ctx) : ldirectordDaemon(plan.daemon.config, plan.daemon.text, plan.table.services, plan.daemon.heartbeat, ctx);
  }

  // The director's commands.
  const directorLines: string[] = [];
  const nat = plan.table.services.some((s) => s.destinations.some((d) => d.fwd === 'masq')) || hosts.some((h) => h.role !== 'real' && h.fwd.has('masq'));
  if (plan.script) {
    if (plan.defaultGateway === undefined) {
      directorLines.push('# lvs-lab import: the route to the client network (the script has none)', `- ${q(`ip route add default via ${formatIpv4(vipNet.router)}`)}`);
    }
    for (const c of plan.script) {
      for (const cm of c.comments) directorLines.push(`# ${cm}`);
      directorLines.push(`- ${q(c.text)}`);
    }
  } else {
    // keepalived's VIPs are VRRP's: the instance adds them when it becomes MASTER.
    for (const a of plan.daemon?.kind === 'keepalived' ? [] : plan.addresses) {
      const n = netOf(ip(a.address)) ?? vipNet;
      directorLines.push(`- ${q(`ip addr add ${a.address}/${a.prefix ?? 32} dev ${n.dev}${a.label !== undefined ? ` label ${a.label}` : ''}`)}`);
    }
    for (const s of addressServices) {
      if (!configuredAddrs.has(s.key.address) && !directorLines.some((l) => l.includes(`add ${s.key.address}/`))) {
        const n = netOf(ip(s.key.address)) ?? vipNet;
        directorLines.push(`- ${q(`ip addr add ${s.key.address}/32 dev ${n.dev}`)}`);
      }
    }
    directorLines.push(`- ${q(`ip route add default via ${formatIpv4(vipNet.router)}`)}`);
    // What the daemon manages gets no ipvsadm lines: it builds that part of the table itself.
    for (const r of ipvsTableRules(daemon ? { services: daemon.staticServices } : plan.table)) directorLines.push(`- ${q(`ipvsadm ${r}`)}`);
    for (const c of daemon?.commands ?? []) directorLines.push(`- ${q(c)}`);
  }

  // Traffic and expectations.
  const traffic: string[] = [];
  const expect: string[] = [];
  let t = daemon?.trafficStart ?? 1000;
  let total = 0;
  let natBroken = false;
  let maxExtra = 0;
  let natCertain = false;
  const spreading = new Set(['rr', 'wrr', 'lc', 'wlc']);
  const skipped: string[] = [];
  for (const s of plan.table.services) {
    const label = serviceLabel(s.key);
    if (s.key.kind !== 'address' || s.key.protocol !== 'tcp') {
      skipped.push(`${label}: ${s.key.kind === 'fwmark' ? 'a fwmark service needs the marking rule, which is not in the configuration' : 'only TCP traffic is generated'}`);
      continue;
    }
    const why = daemon?.noTraffic.get(label);
    if (why !== undefined) {
      skipped.push(`${label}: ${why}`);
      continue;
    }
    const live = s.destinations.filter((d) => d.weight > 0 && hosts.some((h) => h.address === d.address));
    if (s.destinations.some((d) => d.weight > 0 && !hosts.some((h) => h.address === d.address))) {
      skipped.push(`${label}: a real server is the director itself (IPVS local-node forwarding), which runs no server here`);
      continue;
    }
    const mixedHost = hosts.find((h) => mixed(h) && live.some((d) => d.address === h.address));
    if (mixedHost) {
      skipped.push(`${label}: real server ${mixedHost.address} is used with NAT and with DR/TUN, and one default gateway cannot serve both`);
      continue;
    }
    if (live.length === 0) {
      skipped.push(`${label}: no real server with a weight above 0 to answer`);
      continue;
    }
    const port = s.key.port === 0 ? PORT0_TRAFFIC : s.key.port;
    const count = Math.max(2, 2 * s.destinations.length);
    traffic.push(`  - { at: ${t}ms, from: client, to: "${s.key.address}:${port}", request: 100B, count: ${count}, interval: 200ms }`);
    t += count * 200 + 800;
    expect.push(`  # ${label} (${s.scheduler}${s.persistent !== undefined ? `, persistent ${s.persistent}s` : ''}): every connection is scheduled by the director`);
    expect.push(`  - count: { kind: ipvs, host: director, event: conn, service: ${q(label)} }`, `    equals: ${count}`);
    // A script that never turns ip_forward on leaves a NAT director unable to forward the replies (the lab, like
    // Linux, drops them: not-forwarding). The scenario shows that breakage rather than hiding it.
    if (plan.noIpForward && live.some((d) => d.fwd === 'masq')) {
      natBroken = true;
      expect.push(`  # the script never sets net.ipv4.ip_forward=1: the real servers' NAT replies are not forwarded`);
      // Connections scheduled to a DR/TUN server of the same service still succeed.
      if (live.some((d) => d.fwd !== 'masq')) maxExtra += count;
      else natCertain = true;
      continue;
    }
    total += count;
    if (spreading.has(s.scheduler) && s.persistent === undefined) {
      const names = new Set<string>();
      for (const d of live) {
        const h = hosts.find((x) => x.address === d.address) as RsHost;
        if (names.has(h.name)) continue;
        names.add(h.name);
        expect.push(`  - count: { kind: ipvs, host: director, event: conn, dest: ${q(`${d.address}:${d.port}`)} }`, `    atLeast: 1`);
        expect.push(`  - count: { kind: tcp, host: ${h.name}, to: ESTABLISHED }`, `    atLeast: 1`);
      }
    } else {
      expect.push(`  # ${s.persistent !== undefined ? 'persistence keeps one client on one server' : `${s.scheduler} does not spread one client's sequential connections`}: not every real server answers`);
    }
  }
  if (natBroken) {
    if (natCertain) expect.push(`  - count: { kind: drop, host: director, reason: not-forwarding }`, `    atLeast: 1`);
    expect.unshift(`  - count: { kind: app, host: client, event: response }`, ...(maxExtra === 0 ? [`    equals: ${total}`] : [`    atLeast: ${total}`, `    atMost: ${total + maxExtra}`]));
  } else if (total > 0) expect.unshift(`  - count: { kind: app, host: client, event: response }`, `    equals: ${total}`, `  - count: { kind: app, host: client, event: error }`, `    equals: 0`);
  if (daemon) expect.push(...daemon.expect);
  const duration = Math.max(t + 2000, daemon?.minDuration ?? 0);
  expect.push(`  - at: ${duration - 500}ms`, `    host: director`, `    run: ipvsadm -L -n`);
  const lines = addressServices.length > 0 || plan.table.services.length > 0 ? plan.table.services.map((s) => listLine(s)) : ['Prot LocalAddress:Port Scheduler Flags'];
  // ipvsadm lists services in its own order (sorted): one look-ahead per service line.
  expect.push(`    output: { matches: ${q(lines.map((l) => `(?=[\\s\\S]*^${escapeRe(l)}$)`).join(''))} }`);

  // Description.
  const desc: string[] = [
    `Generated by lvs-lab import from ${basename(file)} (${format}).`,
    plan.daemon
      ? `The director runs ${plan.daemon.kind} as the file configures it (its ${plan.daemon.kind}: block);`
      : `The director's ${plan.script ? 'commands are the script\'s own lines' : 'commands are the ip addr and ipvsadm lines the configuration implies'};`,
    `the client, the router and ${hosts.filter((h) => h.role === 'real').length} real server(s)${hosts.some((h) => h.role !== 'real') ? ` (and ${hosts.filter((h) => h.role !== 'real').map((h) => h.name).join(', ')})` : ''} are generated around it.`,
    ...(scriptVips.length > 0 ? [`The script never assigns ${scriptVips.join(', ')} to an interface, so the director has it as its own address.`] : []),
    ...plan.notes,
    ...(daemon?.notes ?? []),
    ...skipped.map((s) => `No traffic for ${s}.`),
  ];
  if (natBroken) desc.push('The script never sets net.ipv4.ip_forward to 1, so this NAT director drops the real servers\' replies (not-forwarding) and no request is answered: the scenario shows it.');
  if (hosts.length === 0) desc.push('No real-server host was generated (no real server outside the director).');

  // YAML.
  const out: string[] = [];
  out.push(`name: ${q(`Imported: ${basename(file)}`)}`);
  out.push('description: >');
  for (const l of wrap(desc.join(' '), 110)) out.push(`  ${l}`);
  out.push('seed: 1', `duration: ${duration}ms`, '', 'segments:', '  internet: {}');
  for (const n of nets) out.push(`  ${n.name}: {}`);
  out.push('', 'hosts:');
  out.push('  client:', '    role: client', '    position: [60, 200]', '    interfaces:', `      eth0: { segment: internet, addresses: [${formatIpv4(client)}/24] }`, '    commands:', `      - ${q(`ip route add default via ${formatIpv4(routerOut)}`)}`);
  out.push('  router:', '    role: router', '    position: [220, 200]', '    interfaces:', `      eth0: { segment: internet, addresses: [${formatIpv4(routerOut)}/24] }`);
  let ri = 1;
  for (const n of nets) if (n.router !== undefined) out.push(`      eth${ri++}: { segment: ${n.name}, addresses: [${formatIpv4(n.router)}/${n.prefix}] }`);
  out.push('    sysctl:', '      net.ipv4.ip_forward: 1');
  // The router reaches the director's other networks, and service addresses outside them, through the director.
  const routerRoutes: string[] = [];
  for (const n of nets) if (n.router === undefined) routerRoutes.push(`ip route add ${formatIpv4(n.network)}/${n.prefix} via ${formatIpv4(vipNet.director)}`);
  for (const s of addressServices) {
    const r = `ip route add ${s.key.address}/32 via ${formatIpv4(vipNet.director)}`;
    if (!netOf(ip(s.key.address)) && !routerRoutes.includes(r)) routerRoutes.push(r);
  }
  if (routerRoutes.length > 0) out.push('    commands:', ...routerRoutes.map((c) => `      - ${q(c)}`));
  out.push('  director:', '    role: director', '    position: [400, 200]', '    interfaces:');
  for (const n of nets) {
    out.push(`      ${n.dev}: { segment: ${n.name}, addresses: [${[n.director, ...n.extra].map((a) => `${formatIpv4(a)}/${n.prefix}`).join(', ')}] }`);
    for (const d of n.alsoDevs) out.push(`      ${d}: { segment: ${n.name} }`);
  }
  const directorSysctl: string[] = [];
  if (!plan.script && nat) directorSysctl.push('net.ipv4.ip_forward: 1');
  // A NAT real server on the router's own network would otherwise be told by ICMP redirect to bypass the director.
  if (hosts.some((h) => h.fwd.has('masq') && h.net.router !== undefined)) directorSysctl.push('net.ipv4.conf.all.send_redirects: 0', ...nets.map((n) => `net.ipv4.conf.${n.dev}.send_redirects: 0`));
  if (directorSysctl.length > 0) out.push('    sysctl:', ...directorSysctl.map((s) => `      ${s}`));
  out.push('    commands:', ...directorLines.map((l) => `      ${l}`));
  if (daemon) out.push(...daemon.block);
  hosts.forEach((h, i) => {
    const y = 80 + Math.round((i * 240) / Math.max(1, hosts.length - 1 || 1));
    out.push(`  ${h.name}:`, '    role: real-server', `    position: [600, ${hosts.length === 1 ? 200 : y}]`, '    interfaces:', `      eth0: { segment: ${h.net.name}, addresses: [${h.address}/${h.net.prefix}] }`);
    const cmds: string[] = [];
    const sys: string[] = [];
    const gwNat = natGateway(plan, h, netOf);
    if (h.fwd.has('masq')) cmds.push(`ip route add default via ${formatIpv4(gwNat)}`);
    else cmds.push(`ip route add default via ${formatIpv4(h.net.router ?? h.net.director)}`);
    if (h.fwd.has('route')) {
      sys.push('net.ipv4.conf.all.arp_ignore: 1', 'net.ipv4.conf.eth0.arp_ignore: 1', 'net.ipv4.conf.all.arp_announce: 2', 'net.ipv4.conf.eth0.arp_announce: 2');
      for (const v of h.vips) cmds.push(`ip addr add ${v}/32 dev lo`);
    }
    if (h.fwd.has('tunnel')) {
      sys.push('net.ipv4.conf.all.rp_filter: 0');
      cmds.push('modprobe ipip');
      for (const v of h.vips) if (!h.fwd.has('route')) cmds.push(`ip addr add ${v}/32 dev tunl0`);
      cmds.push('ip link set tunl0 up', 'sysctl -w net.ipv4.conf.tunl0.rp_filter=0');
    }
    if (sys.length > 0) out.push('    sysctl:', ...sys.map((s) => `      ${s}`));
    out.push('    commands:', ...cmds.map((c) => `      - ${q(c)}`));
    // Every port it serves, and every port a health check connects to; an HTTP check's file where one was chosen.
    const ports = [...new Set([...h.ports, ...h.checkPorts])].sort((a, b) => a - b);
    const service = (p: number) => {
      const c = h.checkFiles.get(p);
      return `      - { port: ${p}, response: 1KB${c ? `, check: { path: ${q(c.path)}, body: ${q(c.body)} }` : ''} }`;
    };
    if (ports.length > 0) out.push('    services:', ...ports.map(service));
  });
  out.push('');
  if (traffic.length > 0) out.push('traffic:', ...traffic, '');
  out.push('expect:', ...expect, '');
  return out.join('\n');
}

/** A NAT server's gateway: a director VIP on its network if the configuration put one there, else the director. */
function natGateway(plan: DirectorPlan, h: RsHost, netOf: (a: number) => Net | undefined): number {
  const vip = plan.addresses.find((a) => netOf(ip(a.address)) === h.net && a.address !== h.address && !plan.table.services.some((s) => s.key.kind === 'address' && s.key.address === a.address));
  return vip ? ip(vip.address) : h.net.director;
}

/** The service line of `ipvsadm -L -n` (formatList.ts): `TCP  A:P sched [persistent N [mask M]]`; -o and flags are not written. */
export function listLine(s: IpvsTableService): string {
  const head = s.key.kind === 'fwmark' ? `FWM  ${s.key.mark}` : `${s.key.protocol.toUpperCase()}  ${s.key.address}:${s.key.port}`;
  const mask = s.netmask !== undefined && s.netmask !== '255.255.255.255' ? ` mask ${s.netmask}` : '';
  return `${head} ${s.scheduler}${s.persistent !== undefined ? ` persistent ${s.persistent}${mask}` : ''}`;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A YAML double-quoted scalar (JSON's escaping is valid YAML). */
function q(s: string): string {
  return JSON.stringify(s);
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(line);
  return out;
}
