import type { Checker, KeepalivedConfig, RealServer, TrackedInterface, VirtualIpAddress, VirtualServer, VrrpInstance } from './model.ts';

/**
 * KeepalivedConfig → keepalived.conf text in keepalived 2.x syntax (current keywords only: `retry`, not
 * `nb_get_retry`; `router_id`, not `lvs_id`; the global `lvs_sync_daemon`, not an instance's
 * `lvs_sync_daemon_interface`), four-space indentation, one keyword per line. Only fields that are
 * set are written, so parse(print(m)) gives m back (apart from the `line` numbers). A fwmark service is written
 * without `protocol` and its real servers without a port, because keepalived warns about both
 * ("protocol specified for fwmark", "has port specified - clearing").
 */
export function printKeepalivedConf(cfg: KeepalivedConfig, header?: string): string {
  const out: string[] = [];
  if (header) for (const l of header.split('\n')) out.push(`! ${l}`.trimEnd());
  const w = (depth: number, text: string) => out.push(`${'    '.repeat(depth)}${text}`);
  const g = cfg.globalDefs;
  const globals: string[] = [];
  if (g.notificationEmail.length > 0) globals.push('notification_email {', ...g.notificationEmail.map((e) => `    ${e}`), '}');
  if (g.notificationEmailFrom !== undefined) globals.push(`notification_email_from ${g.notificationEmailFrom}`);
  if (g.smtpServer) globals.push(`smtp_server ${g.smtpServer.host}${g.smtpServer.port !== undefined ? ` ${g.smtpServer.port}` : ''}`);
  if (g.smtpConnectTimeout !== undefined) globals.push(`smtp_connect_timeout ${g.smtpConnectTimeout}`);
  if (g.routerId !== undefined) globals.push(`router_id ${word(g.routerId)}`);
  if (g.vrrpGarpMasterDelay !== undefined) globals.push(`vrrp_garp_master_delay ${g.vrrpGarpMasterDelay}`);
  if (g.vrrpGarpMasterRepeat !== undefined) globals.push(`vrrp_garp_master_repeat ${g.vrrpGarpMasterRepeat}`);
  if (g.vrrpGarpMasterRefresh !== undefined) globals.push(`vrrp_garp_master_refresh ${g.vrrpGarpMasterRefresh}`);
  if (g.vrrpGarpInterval !== undefined) globals.push(`vrrp_garp_interval ${g.vrrpGarpInterval}`);
  if (g.vrrpGarpLowerPrioRepeat !== undefined) globals.push(`vrrp_garp_lower_prio_repeat ${g.vrrpGarpLowerPrioRepeat}`);
  if (g.vrrpGarpLowerPrioDelay !== undefined) globals.push(`vrrp_garp_lower_prio_delay ${g.vrrpGarpLowerPrioDelay}`);
  if (g.vrrpLowerPrioNoAdvert !== undefined) globals.push(`vrrp_lower_prio_no_advert ${g.vrrpLowerPrioNoAdvert}`);
  if (g.vrrpHigherPrioSendAdvert !== undefined) globals.push(`vrrp_higher_prio_send_advert ${g.vrrpHigherPrioSendAdvert}`);
  if (g.vrrpMcastGroup4 !== undefined) globals.push(`vrrp_mcast_group4 ${g.vrrpMcastGroup4}`);
  if (g.vrrpVersion !== undefined) globals.push(`vrrp_version ${g.vrrpVersion}`);
  if (g.vrrpStrict) globals.push('vrrp_strict');
  const lt = g.lvsTimeouts;
  if (lt && (lt.tcp !== undefined || lt.tcpfin !== undefined || lt.udp !== undefined)) {
    globals.push(`lvs_timeouts${(['tcp', 'tcpfin', 'udp'] as const).map((k) => (lt[k] !== undefined ? ` ${k} ${lt[k]}` : '')).join('')}`);
  }
  if (g.vrrpSkipCheckAdvAddr) globals.push('vrrp_skip_check_adv_addr');
  if (g.vrrpCheckUnicastSrc) globals.push('vrrp_check_unicast_src');
  if (g.enableScriptSecurity) globals.push('enable_script_security');
  if (g.defaultInterface !== undefined) globals.push(`default_interface ${g.defaultInterface}`);
  // The per-instance lvs_sync_daemon_interface is deprecated: written as the global lvs_sync_daemon.
  const legacySync = g.lvsSyncDaemon ? undefined : cfg.vrrpInstances.find((i) => i.lvsSyncDaemonInterface !== undefined);
  const sync = g.lvsSyncDaemon ?? (legacySync ? { interface: legacySync.lvsSyncDaemonInterface as string, instance: legacySync.name } : undefined);
  if (sync) {
    const s = sync;
    globals.push(`lvs_sync_daemon ${s.interface}${s.instance !== undefined ? ` ${s.instance}` : ''}${s.syncId !== undefined ? ` id ${s.syncId}` : ''}`);
  }
  if (globals.length > 0) {
    w(0, 'global_defs {');
    for (const l of globals) w(1, l);
    w(0, '}');
    out.push('');
  }
  for (const s of cfg.vrrpScripts) {
    w(0, `vrrp_script ${word(s.name)} {`);
    if (s.script !== undefined) w(1, `script ${quote(s.script)}`);
    if (s.interval !== undefined) w(1, `interval ${s.interval}`);
    if (s.timeout !== undefined) w(1, `timeout ${s.timeout}`);
    if (s.weight !== undefined) w(1, `weight ${s.weight}`);
    if (s.fall !== undefined) w(1, `fall ${s.fall}`);
    if (s.rise !== undefined) w(1, `rise ${s.rise}`);
    w(0, '}');
    out.push('');
  }
  for (const sg of cfg.vrrpSyncGroups) {
    w(0, `vrrp_sync_group ${word(sg.name)} {`);
    w(1, 'group {');
    for (const n of sg.group) w(2, word(n));
    w(1, '}');
    trackInterfaces(sg.trackInterfaces, w);
    if (sg.syncGroupTrackingWeight) w(1, 'sync_group_tracking_weight');
    w(0, '}');
    out.push('');
  }
  for (const inst of cfg.vrrpInstances) {
    printInstance(inst, w);
    out.push('');
  }
  for (const vs of cfg.virtualServers) {
    printVirtualServer(vs, w);
    out.push('');
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

type Writer = (depth: number, text: string) => void;

function printInstance(inst: VrrpInstance, w: Writer): void {
  w(0, `vrrp_instance ${word(inst.name)} {`);
  if (inst.state !== undefined) w(1, `state ${inst.state}`);
  if (inst.interface !== undefined) w(1, `interface ${inst.interface}`);
  if (inst.virtualRouterId !== undefined) w(1, `virtual_router_id ${inst.virtualRouterId}`);
  if (inst.priority !== undefined) w(1, `priority ${inst.priority}`);
  if (inst.advertInt !== undefined) w(1, `advert_int ${inst.advertInt}`);
  if (inst.preempt === false) w(1, 'nopreempt');
  if (inst.preempt === true) w(1, 'preempt');
  if (inst.preemptDelay !== undefined) w(1, `preempt_delay ${inst.preemptDelay}`);
  if (inst.mcastSrcIp !== undefined) w(1, `mcast_src_ip ${inst.mcastSrcIp}`);
  if (inst.unicastSrcIp !== undefined) w(1, `unicast_src_ip ${inst.unicastSrcIp}`);
  if (inst.unicastPeers.length > 0) {
    w(1, 'unicast_peer {');
    for (const p of inst.unicastPeers) w(2, p);
    w(1, '}');
  }
  if (inst.unicastTtl !== undefined) w(1, `unicast_ttl ${inst.unicastTtl}`);
  if (inst.checkUnicastSrc) w(1, 'check_unicast_src');
  if (inst.dontTrackPrimary) w(1, 'dont_track_primary');
  if (inst.authentication) {
    w(1, 'authentication {');
    if (inst.authentication.authType !== undefined) w(2, `auth_type ${inst.authentication.authType}`);
    if (inst.authentication.authPass !== undefined) w(2, `auth_pass ${word(inst.authentication.authPass)}`);
    w(1, '}');
  }
  const vips = (name: string, list: VirtualIpAddress[]) => {
    if (list.length === 0) return;
    w(1, `${name} {`);
    for (const a of list) w(2, vipText(a));
    w(1, '}');
  };
  vips('virtual_ipaddress', inst.virtualIpAddresses);
  vips('virtual_ipaddress_excluded', inst.virtualIpAddressesExcluded);
  const tracks = (name: string, list: { name: string; weight?: number }[]) => {
    if (list.length === 0) return;
    w(1, `${name} {`);
    for (const t of list) w(2, `${word(t.name)}${t.weight !== undefined ? ` weight ${t.weight}` : ''}`);
    w(1, '}');
  };
  trackInterfaces(inst.trackInterfaces, w);
  tracks('track_script', inst.trackScripts);
  if (inst.garpMasterDelay !== undefined) w(1, `garp_master_delay ${inst.garpMasterDelay}`);
  if (inst.garpMasterRepeat !== undefined) w(1, `garp_master_repeat ${inst.garpMasterRepeat}`);
  if (inst.garpMasterRefresh !== undefined) w(1, `garp_master_refresh ${inst.garpMasterRefresh}`);
  if (inst.garpLowerPrioRepeat !== undefined) w(1, `garp_lower_prio_repeat ${inst.garpLowerPrioRepeat}`);
  if (inst.garpLowerPrioDelay !== undefined) w(1, `garp_lower_prio_delay ${inst.garpLowerPrioDelay}`);
  if (inst.lowerPrioNoAdvert !== undefined) w(1, `lower_prio_no_advert ${inst.lowerPrioNoAdvert}`);
  if (inst.higherPrioSendAdvert !== undefined) w(1, `higher_prio_send_advert ${inst.higherPrioSendAdvert}`);
  if (inst.notifyMaster !== undefined) w(1, `notify_master ${quote(inst.notifyMaster)}`);
  if (inst.notifyBackup !== undefined) w(1, `notify_backup ${quote(inst.notifyBackup)}`);
  if (inst.notifyFault !== undefined) w(1, `notify_fault ${quote(inst.notifyFault)}`);
  if (inst.notify !== undefined) w(1, `notify ${quote(inst.notify)}`);
  if (inst.smtpAlert !== undefined) w(1, `smtp_alert ${inst.smtpAlert ? 'on' : 'off'}`);
  if (inst.version !== undefined) w(1, `version ${inst.version}`);
  if (inst.strictMode !== undefined) w(1, `strict_mode ${inst.strictMode}`);
  w(0, '}');
}

function trackInterfaces(list: TrackedInterface[], w: Writer): void {
  if (list.length === 0) return;
  w(1, 'track_interface {');
  for (const t of list) w(2, `${word(t.name)}${t.weight !== undefined ? ` weight ${t.weight}` : ''}${t.reverse === undefined ? '' : t.reverse ? ' reverse' : ' noreverse'}`);
  w(1, '}');
}

export function vipText(a: VirtualIpAddress): string {
  let s = a.prefix !== undefined ? `${a.address}/${a.prefix}` : a.address;
  if (a.broadcast !== undefined) s += ` brd ${a.broadcast}`;
  if (a.dev !== undefined) s += ` dev ${a.dev}`;
  if (a.scope !== undefined) s += ` scope ${a.scope}`;
  if (a.label !== undefined) s += ` label ${a.label}`;
  if (a.noTrack) s += ' no_track';
  return s;
}

function printVirtualServer(vs: VirtualServer, w: Writer): void {
  const fwmark = vs.key.kind === 'fwmark';
  const head = vs.key.kind === 'address' ? `${vs.key.address}${vs.key.port !== undefined ? ` ${vs.key.port}` : ''}` : vs.key.kind === 'fwmark' ? `fwmark ${vs.key.mark}` : `group ${word(vs.key.name)}`;
  w(0, `virtual_server ${head} {`);
  if (vs.delayLoop !== undefined) w(1, `delay_loop ${vs.delayLoop}`);
  if (vs.lbAlgo !== undefined) w(1, `lb_algo ${vs.lbAlgo}`);
  // After lb_algo: keepalived takes a scheduler flag only once the scheduler it belongs to is set.
  for (const f of vs.schedFlags ?? []) w(1, f);
  if (vs.ops) w(1, 'ops');
  if (vs.lbKind !== undefined) w(1, `lb_kind ${vs.lbKind}`);
  if (vs.persistenceTimeout !== undefined) w(1, `persistence_timeout ${vs.persistenceTimeout}`);
  if (vs.persistenceGranularity !== undefined) w(1, `persistence_granularity ${vs.persistenceGranularity}`);
  if (vs.protocol !== undefined && !fwmark) w(1, `protocol ${vs.protocol}`);
  if (vs.connectTimeout !== undefined) w(1, `connect_timeout ${vs.connectTimeout}`);
  if (vs.retry !== undefined) w(1, `retry ${vs.retry}`);
  if (vs.delayBeforeRetry !== undefined) w(1, `delay_before_retry ${vs.delayBeforeRetry}`);
  if (vs.warmup !== undefined) w(1, `warmup ${vs.warmup}`);
  if (vs.alpha) w(1, 'alpha');
  if (vs.omega) w(1, 'omega');
  if (vs.quorum !== undefined) w(1, `quorum ${vs.quorum}`);
  if (vs.hysteresis !== undefined) w(1, `hysteresis ${vs.hysteresis}`);
  if (vs.haSuspend) w(1, 'ha_suspend');
  if (vs.inhibitOnFailure) w(1, 'inhibit_on_failure');
  if (vs.virtualhost !== undefined) w(1, `virtualhost ${word(vs.virtualhost)}`);
  if (vs.sorryServer) {
    w(1, `sorry_server ${vs.sorryServer.address}${vs.sorryServer.port !== undefined && !fwmark ? ` ${vs.sorryServer.port}` : ''}`);
    if (vs.sorryServer.lvsMethod !== undefined) w(1, `sorry_server_lvs_method ${vs.sorryServer.lvsMethod}`);
  }
  if (vs.sorryServerInhibit) w(1, 'sorry_server_inhibit');
  for (const rs of vs.realServers) printRealServer(rs, fwmark, w);
  w(0, '}');
}

function printRealServer(rs: RealServer, fwmark: boolean, w: Writer): void {
  w(1, `real_server ${rs.address}${rs.port !== undefined && !fwmark ? ` ${rs.port}` : ''} {`);
  if (rs.weight !== undefined) w(2, `weight ${rs.weight}`);
  if (rs.inhibitOnFailure !== undefined) w(2, rs.inhibitOnFailure ? 'inhibit_on_failure' : 'inhibit_on_failure off');
  if (rs.lvsMethod !== undefined) w(2, `lvs_method ${rs.lvsMethod}`);
  if (rs.notifyUp !== undefined) w(2, `notify_up ${quote(rs.notifyUp)}`);
  if (rs.notifyDown !== undefined) w(2, `notify_down ${quote(rs.notifyDown)}`);
  if (rs.uthreshold !== undefined) w(2, `uthreshold ${rs.uthreshold}`);
  if (rs.lthreshold !== undefined) w(2, `lthreshold ${rs.lthreshold}`);
  timingLines(rs, 2, w);
  if (rs.alpha !== undefined) w(2, `alpha ${rs.alpha ? 'on' : 'off'}`);
  if (rs.virtualhost !== undefined) w(2, `virtualhost ${word(rs.virtualhost)}`);
  for (const c of rs.checkers) printChecker(c, w);
  w(1, '}');
}

function timingLines(t: { connectTimeout?: number; retry?: number; delayBeforeRetry?: number; delayLoop?: number; warmup?: number }, d: number, w: Writer): void {
  if (t.connectTimeout !== undefined) w(d, `connect_timeout ${t.connectTimeout}`);
  if (t.retry !== undefined) w(d, `retry ${t.retry}`);
  if (t.delayBeforeRetry !== undefined) w(d, `delay_before_retry ${t.delayBeforeRetry}`);
  if (t.delayLoop !== undefined) w(d, `delay_loop ${t.delayLoop}`);
  if (t.warmup !== undefined) w(d, `warmup ${t.warmup}`);
}

function printChecker(c: Checker, w: Writer): void {
  w(2, `${c.kind} {`);
  if (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET') {
    for (const u of c.urls) {
      w(3, 'url {');
      if (u.path !== undefined) w(4, `path ${word(u.path)}`);
      if (u.digest !== undefined) w(4, `digest ${u.digest}`);
      if (u.statusCodes.length > 0) w(4, `status_code ${u.statusCodes.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(' ')}`);
      if (u.virtualhost !== undefined) w(4, `virtualhost ${word(u.virtualhost)}`);
      if (u.regex !== undefined) w(4, `regex ${quote(u.regex)}`);
      if (u.regexNoMatch) w(4, 'regex_no_match');
      w(3, '}');
    }
    if (c.virtualhost !== undefined) w(3, `virtualhost ${word(c.virtualhost)}`);
    if (c.httpProtocol !== undefined) w(3, `http_protocol ${c.httpProtocol}`);
    if (c.fastRecovery !== undefined) w(3, `fast_recovery ${c.fastRecovery ? 'on' : 'off'}`);
  }
  if (c.connectIp !== undefined) w(3, `connect_ip ${c.connectIp}`);
  if (c.connectPort !== undefined) w(3, `connect_port ${c.connectPort}`);
  if (c.bindTo !== undefined) w(3, `bindto ${c.bindTo}`);
  if (c.bindPort !== undefined) w(3, `bind_port ${c.bindPort}`);
  if (c.bindIf !== undefined) w(3, `bind_if ${c.bindIf}`);
  if (c.fwmark !== undefined) w(3, `fwmark ${c.fwmark}`);
  // nb_get_retry is written as its current name.
  const retry = c.retry ?? (c.kind === 'HTTP_GET' || c.kind === 'SSL_GET' ? c.nbGetRetry : undefined);
  timingLines({ ...c, retry }, 3, w);
  if (c.alpha !== undefined) w(3, `alpha ${c.alpha ? 'on' : 'off'}`);
  if (c.logAllFailures !== undefined) w(3, `log_all_failures ${c.logAllFailures ? 'on' : 'off'}`);
  if (c.kind === 'MISC_CHECK') {
    if (c.miscPath !== undefined) w(3, `misc_path ${quote(c.miscPath)}`);
    if (c.miscTimeout !== undefined) w(3, `misc_timeout ${c.miscTimeout}`);
    if (c.miscDynamic) w(3, 'misc_dynamic');
    if (c.user !== undefined) w(3, `user ${word(c.user)}`);
  }
  w(2, '}');
}

/** A single word as is; anything with spaces, comment characters, quotes or braces in double quotes. */
function word(s: string): string {
  return /^[^\s#!"'{}]+$/.test(s) ? s : quote(s);
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}
