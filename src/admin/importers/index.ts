/**
 * Configuration files in and out, as pure data (layer admin/importers: imports only wire and its own files;
 * produces models and diagnostics, never effects). The scenario generator (lab/importConfig.ts) and the exporter
 * (lab/exportConfig.ts) build on these.
 */
export { formatDiagnostic, hasErrors, DiagnosticList, type Diagnostic, type ImportResult, type Severity } from './Diagnostic.ts';
export { detectFormat, CONFIG_FORMATS, type ConfigFormat } from './detectFormat.ts';
export { ipvsTableRules, serviceLabel, serviceOption, type IpvsTable, type IpvsTableService, type IpvsTableDestination, type IpvsServiceKey, type IpvsForwarding, type IpvsProtocol } from './ipvsTable.ts';
export { parseIpvsadmSave, parseIpvsadmRule, applyIpvsadmRule, parseAddrPort, parsePort, type IpvsadmRule } from './ipvsadmSave.ts';
export { parseIpvsadmScript, MODELLED_PROGRAMS, type IpvsadmScript, type ScriptCommand, type ScriptAddress } from './shellScript.ts';
export { parseKeepalivedConf, KEEPALIVED_REPORTED_CODES } from './keepalived/parseKeepalived.ts';
export { printKeepalivedConf, vipText } from './keepalived/printKeepalived.ts';
export { keepalivedFromIpvsTable, type ExportVip } from './keepalived/fromIpvsTable.ts';
export * from './keepalived/model.ts';
export * from './keepalived/effective.ts';
export { parseLdirectordCf } from './ldirectord/parseLdirectord.ts';
export * from './ldirectord/model.ts';
export { parseHaCf, parseHaresources, decodeIpAddr, checkHeartbeatPair, type HaCf, type HaMedium, type HaResource, type HaResourceGroup, type HaIpAddr } from './heartbeat.ts';
export { describeKeepalived, describeLdirectord, type DirectorDescription, type DirectorAddress } from './director.ts';
