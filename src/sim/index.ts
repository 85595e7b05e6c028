export * from './Time.ts';
export { EventQueue, type ScheduledEvent } from './EventQueue.ts';
export { Simulator, Priority, type EventHandle } from './Simulator.ts';
export { Timer } from './Timer.ts';
export { RandomStreams, RandomStream } from './Random.ts';
