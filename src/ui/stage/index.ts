// The stage of the browser lab (pixi.js v8): topology, packets in flight, drops, zoom and pan, selection.
export { TopologyStage, type TopologyStageOptions, type DrawnPacket, type StageStats } from './TopologyStage.ts';
export { syntheticLoad, type SyntheticLoad, type SyntheticLoadOptions } from './syntheticLoad.ts';
export { measureFps, type FpsResult } from './fpsProbe.ts';
export { type View } from './viewTransform.ts';
export { type DropMarker } from './packetScene.ts';
export { type StageHit } from './hitTest.ts';
export { describeTopology, packetTooltip, dropTooltip, hostTooltip, switchTooltip } from './tooltipText.ts';
