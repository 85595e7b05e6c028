/**
 * ipvsadm 1.31 for lab hosts: the command (bound to a resolver that finds a host's IPVS instance), the
 * restore entry point for saved rules, and the parser and formatters for other faces of the same data.
 */
export { ipvsadmCommand } from './ipvsadm.ts';
export { restoreIpvsadm } from './restore.ts';
export { applyIpvsadm } from './applyIpvsadm.ts';
export { parseIpvsadm, type IpvsadmLine, type ListFormat, type ParseOutcome } from './parseIpvsadm.ts';
export { formatListAll, formatListService, DEFAULT_FORMAT } from './formatList.ts';
export { formatConnections } from './formatConnections.ts';
export { formatSave } from './formatSave.ts';
export { usageText, VERSION_LINE } from './usage.ts';
