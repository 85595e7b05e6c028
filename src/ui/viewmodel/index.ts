// The browser lab's view models: pure functions and indexes over a scenario and its trace, tested in Node.
export {
  buildTopology,
  segmentLookup,
  inferRole,
  hostNodeId,
  switchNodeId,
  type Topology,
  type TopologySource,
  type HostSource,
  type HostNode,
  type SwitchNode,
  type TopologyLink,
  type InterfaceInfo,
  type NodeRole,
  type Daemon,
  type Point,
  type SegmentOf,
} from './topology.ts';
export { PacketIndex, packetJourney, derive, type PacketJourney, type Hop, type HopKind, type Derivation, type Offshoot } from './packetJourney.ts';
export { diffSummaries, hopDiff, type FieldChange } from './hopDiff.ts';
export { PacketClassifier, headerKind, PACKET_KINDS, PACKET_STYLES, type PacketKind, type KindStyle } from './packetKinds.ts';
export { FlightIndex, flightPath, nodePositions, pointAlong, type Flight, type FlightEnd } from './animation.ts';
