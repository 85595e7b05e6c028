export * from './DropReason.ts';
export * from './TraceEvent.ts';
export * from './TraceSink.ts';
export { Tracer } from './Tracer.ts';
export * from './packetSummary.ts';
export * from './canonicalJson.ts';
export { sha256Hex } from './sha256.ts';
