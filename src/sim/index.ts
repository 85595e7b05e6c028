export * from './Time.ts';
export { EventQueue, MAX_PRIORITY, type ScheduledEvent, type EventHandle, type EventAction } from './EventQueue.ts';
export { Simulator, Priority } from './Simulator.ts';
export { Timer } from './Timer.ts';
export { RandomStreams, RandomStream } from './Random.ts';
