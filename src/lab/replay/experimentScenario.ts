import { parseIpv4 } from '../../wire/index.ts';
import type { Experiment, ExperimentService } from './Experiment.ts';

/** Where the oracle's harness put things (reference/oracle/README.md, "Topology inside the VM"). */
export const CLIENT_GATEWAY = '10.1.0.1';
export const VIP_RANGE = '10.0.0.0/16';
export const FWMARK_RANGE = '10.3.0.0/16';

export function serverNumber(name: string): number {
  return Number(name.slice(2));
}

export function serverAddress(name: string): string {
  return `10.2.${serverNumber(name)}.2`;
}

/** The -m / -g / -i flag of the experiment's forwarding mode. */
export function forwardFlag(e: Experiment): string {
  return e.mode === 'nat' ? '-m' : e.mode === 'dr' ? '-g' : '-i';
}

/** `-t VIP:PORT` or `-f MARK`: how ipvsadm names the service. */
export function serviceArg(s: ExperimentService): string {
  return s.fwmark !== undefined ? `-f ${s.fwmark}` : `-t ${s.vip}:${s.port}`;
}

/** The ipvsadm lines the harness ran, in its order and spelling (the golden `setup` records). */
export function setupCommands(e: Experiment): string[] {
  const out: string[] = [];
  for (const s of e.services) {
    let a = `ipvsadm -A ${serviceArg(s)} -s ${s.sched}`;
    if (s.schedFlags) a += ` -b ${s.schedFlags}`;
    if (s.persistent !== undefined) a += ` -p ${s.persistent}`;
    if (s.netmask !== undefined) a += ` -M ${s.netmask}`;
    out.push(a);
    for (const rs of e.servers) out.push(addServerCommand(e, s, rs.name, rs.weight, rs.uThreshold, rs.lThreshold));
  }
  return out;
}

export function addServerCommand(e: Experiment, s: ExperimentService, server: string, weight: number, u?: number, l?: number): string {
  let c = `ipvsadm -a ${serviceArg(s)} -r ${serverAddress(server)}:${s.port} ${forwardFlag(e)} -w ${weight}`;
  if (u !== undefined) c += ` -x ${u}`;
  if (l !== undefined) c += ` -y ${l}`;
  return c;
}

/** Every client source address the steps use, in order of first use. */
export function clientAddresses(e: Experiment): string[] {
  const seen = new Set<string>();
  for (const s of e.steps) if (s.op === 'open') seen.add(s.src);
  return [...seen];
}

/**
 * The experiment's topology as a scenario file: a client on its own link to the director, one link per real
 * server, the director's local routes for the VIP and fwmark ranges, its sysctls, the fwmark rule (iptables
 * MARK in mangle PREROUTING, where the oracle used an nftables rule of the same meaning) and the ipvsadm setup.
 * Real servers in DR/TUN mode hold the VIP range as local routes, TUN ones with tunl0 up.
 */
export function experimentScenario(e: Experiment): string {
  const y: string[] = [];
  const q = (s: string) => JSON.stringify(s);
  y.push(`name: ${q(`oracle replay: ${e.name}`)}`);
  y.push(`description: ${q(e.description)}`);
  y.push('seed: 1');
  y.push('duration: 60m');
  y.push('segments:');
  y.push('  c0: {}');
  for (const rs of e.servers) y.push(`  ${rs.name}: {}`);
  y.push('hosts:');
  y.push('  c:');
  y.push('    role: client');
  y.push('    interfaces:');
  const addrs = clientAddresses(e);
  if (addrs.length === 0) addrs.push('10.1.1.1');
  for (const a of addrs) {
    if (parseIpv4(a)! >>> 16 !== parseIpv4('10.1.0.0')! >>> 16) throw new Error(`client address ${a} is outside 10.1.0.0/16`);
  }
  y.push(`      c0: { segment: c0, addresses: [${addrs.map((a) => `${a}/16`).join(', ')}] }`);
  y.push('    commands:');
  y.push(`      - ip route add default via ${CLIENT_GATEWAY}`);
  y.push('  d:');
  y.push('    role: director');
  y.push('    interfaces:');
  y.push(`      d0: { segment: c0, addresses: [${CLIENT_GATEWAY}/16] }`);
  for (const rs of e.servers) y.push(`      d${serverNumber(rs.name)}: { segment: ${rs.name}, addresses: [10.2.${serverNumber(rs.name)}.1/24] }`);
  y.push('    sysctl:');
  y.push('      net.ipv4.ip_forward: 1');
  y.push('      net.ipv4.conf.all.rp_filter: 0');
  y.push('      net.ipv4.conf.all.accept_local: 1');
  for (const s of e.directorSysctl) y.push(`      ${s.key}: ${s.value}`);
  y.push('    commands:');
  y.push(`      - ip route add local ${VIP_RANGE} dev lo`);
  y.push(`      - ip route add local ${FWMARK_RANGE} dev lo`);
  for (const s of e.services) {
    if (s.fwmark !== undefined) y.push(`      - iptables -t mangle -A PREROUTING -d ${s.fwmarkMatch} -p tcp --dport ${s.port} -j MARK --set-mark ${s.fwmark}`);
  }
  for (const c of setupCommands(e)) y.push(`      - ${c}`);
  for (const rs of e.servers) {
    const k = serverNumber(rs.name);
    y.push(`  ${rs.name}:`);
    y.push('    role: real-server');
    y.push('    interfaces:');
    y.push(`      eth0: { segment: ${rs.name}, addresses: [10.2.${k}.2/24] }`);
    y.push('    commands:');
    y.push(`      - ip route add default via 10.2.${k}.1`);
    if (e.mode !== 'nat') {
      y.push(`      - ip route add local ${VIP_RANGE} dev lo`);
      y.push(`      - ip route add local ${FWMARK_RANGE} dev lo`);
    }
    if (e.mode === 'tun') {
      y.push('      - modprobe ipip');
      y.push('      - ip link set tunl0 up');
      y.push('      - sysctl -w net.ipv4.conf.tunl0.rp_filter=0');
      y.push('      - sysctl -w net.ipv4.conf.all.rp_filter=0');
    }
  }
  return `${y.join('\n')}\n`;
}
