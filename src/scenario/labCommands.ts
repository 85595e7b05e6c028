import { DEFAULT_COMMANDS, commandTable, type CommandTable } from '../admin/index.ts';
import { ipvsadmCommand } from '../admin/ipvsadm/ipvsadm.ts';
import { ipvsOf } from '../ipvs/index.ts';
import { serviceCommand, systemctlCommand } from '../admin/systemctl.ts';

/**
 * The programs on every lab host: the network tools, and `ipvsadm` talking to the host's own IPVS (every lab
 * host has the module, so ipvsadm works anywhere, as after `modprobe ip_vs`), and `systemctl` for the daemons
 * a scenario installs (keepalived, ldirectord).
 */
export const LAB_COMMANDS: CommandTable = commandTable(...DEFAULT_COMMANDS.values(), ipvsadmCommand((host) => ipvsOf(host).control), systemctlCommand, serviceCommand);
