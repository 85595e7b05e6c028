import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ON_LINK_CLIENT_MAX, SECOND } from '../lab/index.ts';
import { machineInfo } from './machine.ts';
import { COLUMN_NOTES, formatVerdict, sampleHeader, sampleRow, samplesCsv } from './soakReport.ts';
import { runSoak, SOAK_WORKLOAD, type SoakWorkload } from './soakRun.ts';
import { judgeSoak } from './soakVerdict.ts';

/**
 * `npm run soak`: a long run of an LVS-NAT workload with connection churn (src/bench/soakRun.ts), sampling memory
 * and the simulation's table sizes along the way, and a verdict on whether they stayed flat (src/bench/
 * soakVerdict.ts). Exit 0 when flat, 1 when memory or a table grows, 2 on bad options.
 */

const USAGE = `usage: npm run soak -- [--events N] [--every N | --samples K] [--clients N] [--servers N] [--think S]
                        [--seed N] [--json FILE] [--csv FILE]

Runs ${SOAK_WORKLOAD.clients} closed-loop clients (each its own address on the director's LAN) opening short HTTP
connections through an LVS-NAT director to ${SOAK_WORKLOAD.servers} real servers, untraced, for N simulator events, and
samples memory (after full collections) and the table sizes. Prints a row per sample, then the heap's slope
over the second half of the run and each table's range after warm-up.

  --events N    simulator events to run (default 1e8)
  --every N     events between samples (default 1e6, or fewer so that there are at least 20 samples)
  --samples K   K samples evenly over the run instead
  --clients N   closed-loop clients (default ${SOAK_WORKLOAD.clients}, at most ${ON_LINK_CLIENT_MAX})
  --servers N   real servers (default ${SOAK_WORKLOAD.servers})
  --think S     mean think time in seconds (default ${SOAK_WORKLOAD.think})
  --seed N      random seed (default ${SOAK_WORKLOAD.seed})
  --json FILE   also write the samples and the verdict as JSON
  --csv FILE    also write the samples as CSV
  -h, --help    show this help
`;

class UsageError extends Error {}

/** A count such as 100000000, 1e8 or 100_000_000. */
function count(name: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`--${name}: expected a whole number from 1 to ${max}, got ${text}`);
  return n;
}

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--${name}: expected seconds above 0 and at most 3600, got ${text}`);
  return n;
}

function main(argv: string[]): number {
  const options = {
    events: { type: 'string' },
    every: { type: 'string' },
    samples: { type: 'string' },
    clients: { type: 'string' },
    servers: { type: 'string' },
    think: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    csv: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let events: number;
  let every: number;
  let workload: SoakWorkload;
  let json: string | undefined;
  let csv: string | undefined;
  try {
    const { values: v } = parseArgs({ args: argv, options, strict: true });
    if (v.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    events = count('events', v.events, 100_000_000);
    if (v.every !== undefined && v.samples !== undefined) throw new UsageError('--every and --samples: give one of them');
    every = v.samples !== undefined ? Math.ceil(events / count('samples', v.samples, 20, events)) : count('every', v.every, Math.min(1_000_000, Math.ceil(events / 20)));
    workload = {
      clients: count('clients', v.clients, SOAK_WORKLOAD.clients, ON_LINK_CLIENT_MAX),
      servers: count('servers', v.servers, SOAK_WORKLOAD.servers, 60_000),
      think: seconds('think', v.think, SOAK_WORKLOAD.think),
      seed: count('seed', v.seed, SOAK_WORKLOAD.seed, 2 ** 32 - 1),
    };
    json = v.json;
    csv = v.csv;
  } catch (err) {
    process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }

  const machine = machineInfo();
  const out = (s: string): void => void process.stdout.write(s);
  out(`soak: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}\n`);
  out(`workload: ${workload.clients} clients thinking ${workload.think} s on average, ${workload.servers} real servers, LVS-NAT (rr), seed ${workload.seed}; ${events} events, a sample every ~${every}\n\n`);
  out(sampleHeader());
  const result = runSoak({ workload, events, every, measureMemory: true }, (s) => out(sampleRow(s)));
  out(`\n${COLUMN_NOTES}`);
  if (!result.collected) out('NOTE: no full collection could be forced: memory figures include garbage\n');
  out(`trace events retained in memory: ${result.retainedTraceEvents}\n\n`);
  const verdict = judgeSoak(result.samples, events, result, true);
  out(formatVerdict(verdict, result));
  if (json !== undefined) {
    const doc = { machine, date: new Date().toISOString(), workload, events, every, tableWarmUpSeconds: result.tableWarmUpNs / SECOND, memoryWarmUpSeconds: result.memoryWarmUpNs / SECOND, collected: result.collected, samples: result.samples, verdict };
    writeFileSync(json, JSON.stringify(doc, null, 2) + '\n');
    out(`wrote ${json}\n`);
  }
  if (csv !== undefined) {
    writeFileSync(csv, samplesCsv(result.samples));
    out(`wrote ${csv}\n`);
  }
  return verdict.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
