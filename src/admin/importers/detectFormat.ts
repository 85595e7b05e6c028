/**
 * Which importer a file is for, guessed from its content when the user gave no --format (reference §0):
 * keepalived.conf has `global_defs`/`vrrp_instance`/`virtual_server … {` blocks; ldirectord.cf has `virtual=`
 * and `real=` lines; `ipvsadm -S` output is nothing but `-A`/`-a` rules; anything else with ipvsadm, ip,
 * ifconfig or route lines is a shell script.
 */
export type ConfigFormat = 'ipvsadm' | 'ipvsadm-save' | 'keepalived' | 'ldirectord';

export const CONFIG_FORMATS: readonly ConfigFormat[] = ['ipvsadm', 'ipvsadm-save', 'keepalived', 'ldirectord'];

export function detectFormat(text: string): ConfigFormat | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
  if (lines.length === 0) return undefined;
  const keepalivedBlock = /^(global_defs|vrrp_instance|vrrp_sync_group|vrrp_script|virtual_server_group|virtual_server)(\s|\{|$)/;
  if (lines.some((l) => keepalivedBlock.test(l)) && lines.some((l) => l.endsWith('{'))) return 'keepalived';
  if (lines.some((l) => /^virtual6?\s*=/.test(l))) return 'ldirectord';
  if (lines.every((l) => /^(ipvsadm\s+)?(-A|-a|--add-service|--add-server)\s/.test(l))) return 'ipvsadm-save';
  if (lines.some((l) => /^(\S*\/)?(ipvsadm|ip|ifconfig|route|sysctl|echo)(\s|$)/.test(l))) return 'ipvsadm';
  return undefined;
}
