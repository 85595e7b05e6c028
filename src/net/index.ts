/**
 * The public surface of the network layer: what apps, admin, ipvs, scenario and lab use. Internals (neigh,
 * route, ipv4 steps) are reached through Host's methods and these re-exports only.
 */
export { NetContext } from './NetContext.ts';
export { Host, type HostRole } from './Host.ts';
export { Interface, Scope, scopeName, type InterfaceAddress, type InterfaceKind } from './Interface.ts';
export { Switch } from './link/Switch.ts';
export { Cable, type CableParams } from './link/Cable.ts';
export type { Skb } from './Skb.ts';
export { Hooks, NfPriority, ACCEPT, type HookPoint, type HookHandler, type HookState, type Verdict } from './netfilter/Hooks.ts';
export { Fib, type FlowKey, type FibResult } from './route/Fib.ts';
export { TABLE_LOCAL, TABLE_MAIN, TABLE_DEFAULT, tableName, type Route, type RouteType } from './route/Route.ts';
export type { PolicyRule } from './route/PolicyRule.ts';
export { routeOutput, type OutputRoute } from './route/routeOutput.ts';
export { routeInput, type InputDecision } from './route/routeInput.ts';
export { Sysctls, type SysctlValue } from './sysctl/Sysctls.ts';
export { CONF_SYSCTLS, NEIGH_SYSCTLS, GLOBAL_SYSCTLS } from './sysctl/sysctlTable.ts';
export type { Neighbour } from './neigh/NeighbourTable.ts';
export type { NudState } from './neigh/NeighState.ts';
export { sendGratuitous, sendArpingRequest } from './neigh/arp.ts';
export { ipLocalOut, sendRouted, neighOutput, type LocalOutRequest, type LocalOutResult } from './ipv4/ipOutput.ts';
export { Sockets, type TcpConnection, type TcpListener, type UdpSocket, type PingSocket, type RawSocket } from './socket/Sockets.ts';
export {
  Iptables,
  BUILTIN_CHAINS,
  TABLE_NAMES,
  type TableName,
  type Policy,
  type ChainView,
  type RuleView,
  type IptError,
} from './netfilter/Iptables.ts';
export {
  CtStateBit,
  REJECT_WITH,
  ruleKey,
  targetName,
  type IptRule,
  type MatchSpec,
  type TargetSpec,
  type AddrSpec,
  type IfaceSpec,
  type PortRange,
  type NatRange,
  type RejectWith,
  type CtStateName,
} from './netfilter/IptRule.ts';
export type { CtEntry, CtTuple, CtTcpState } from './netfilter/Conntrack.ts';
