import type { Payload } from './Payload.ts';

export interface UdpDatagram {
  readonly proto: 'udp';
  readonly sport: number;
  readonly dport: number;
  readonly payload: Payload;
}

export const UDP_HEADER_LEN = 8;
