export { RequestResponseServer } from './servers/RequestResponseServer.ts';
export { RequestClient, type RequestPlan } from './workload/RequestClient.ts';
export * from './httpMessages.ts';
export { GreetingServer } from './servers/GreetingServer.ts';
