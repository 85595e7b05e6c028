export { Ipvs, ipvsOf } from './Ipvs.ts';
export { IpvsControl } from './IpvsControl.ts';
export { DirectorCpu, DEFAULT_CPU_COST, type CpuCost } from './DirectorCpu.ts';
export type { VirtualService, ServiceKey } from './VirtualService.ts';
export type { Destination } from './Destination.ts';
export { DEFAULT_IPVS_TIMEOUTS } from './protocolState.ts';
