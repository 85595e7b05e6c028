import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchConnections } from './connectionMemory.ts';
import { benchEventMemory } from './eventMemory.ts';
import { benchBatch, benchHold } from './eventQueue.ts';
import { machineInfo } from './machine.ts';
import { benchNatDirector } from './natDirector.ts';
import { benchHops } from './packetHops.ts';
import { formatResults, type BenchResults } from './report.ts';
import { benchSchedulers } from './schedulers.ts';
import { benchSweepRate } from './sweepRate.ts';

/**
 * `npm run bench`: the performance figures of docs/benchmarks.md. Prints a table; with `--json FILE` also
 * writes the results as JSON. Sized to finish in about a minute or two on a small machine.
 */

const USAGE = `usage: npm run bench -- [--json FILE]

Measures the event queue (schedule + dispatch per second), memory per queued event, the IPVS connection table
(bytes per connection with 1,000,000 in it, creates and lookups per second), packet hops per second
through client - lan1 - router - lan2 - server, IPVS scheduler decisions per second at 2, 16, 64 and 256
real servers, packets per second through a NAT director, and a fairness sweep's runs per minute (the real
\`lvs-lab bench fairness\` on every core, with the full 14 x 11 x 30 sweep's time at that rate), and prints them
with the machine they ran on.

  --json FILE   also write the results to FILE as JSON
  -h, --help    show this help
`;

function main(argv: string[]): number {
  let values: { json?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const machine = machineInfo();
  const step = (what: string): void => void process.stderr.write(`bench: ${what}...\n`);

  // Memory first, on a fresh heap, before the other benchmarks leave garbage and grown spaces behind.
  step('memory per queued event');
  const eventMemory = benchEventMemory(1_000_000);
  step('connection table');
  const connectionTable = benchConnections(1_000_000, 3);
  step('event queue');
  const batch = benchBatch(1_000_000, 3);
  const hold = benchHold(10_000, 2_000_000, 3);
  step('packet hops');
  const packetHops = benchHops(8, 2_000, 100_000);
  step('scheduler decisions');
  const schedulers = benchSchedulers(0.1, 3);
  step('NAT director');
  const natDirector = benchNatDirector(5_000, 3);
  step(`fairness sweep rate (lvs-lab bench fairness on ${machine.cores} worker threads)`);
  const sweep = benchSweepRate(machine.cores);

  const results: BenchResults = { machine, date: new Date().toISOString(), eventQueue: { batch, hold }, eventMemory, connectionTable, packetHops, schedulers, natDirector, sweep };
  process.stdout.write(formatResults(results));
  if (values.json !== undefined) {
    writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
    process.stdout.write(`\nwrote ${values.json}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
