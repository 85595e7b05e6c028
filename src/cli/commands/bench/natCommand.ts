import { Lab, NO_LIMITS, natBenchScenario, type NatBenchOptions } from '../../../lab/index.ts';
import type { CliIo } from '../../CliIo.ts';
import { EXIT_OK } from '../../exitCodes.ts';
import { reportError, UserInputError } from '../../userInput.ts';

/** `lvs-lab bench nat`: one JSON line with the ns-3 program's fields (and a few more). */
export function natCommand(o: NatBenchOptions, io: CliIo, now: () => number): number {
  try {
    if (o.servers > 60_000) throw new UserInputError('lvs-lab: --servers: at most 60000');
    const t0 = now();
    const lab = Lab.fromText(natBenchScenario(o), { ...NO_LIMITS, file: 'bench-nat.yaml', record: false });
    let completed = 0;
    let latency = 0;
    lab.onEvent(
      (e) => {
        if (e.kind === 'app' && e.event === 'response') {
          completed++;
          latency += e.latency ?? 0;
        }
      },
      ['app'],
    );
    const eventsBefore = lab.eventsDispatched;
    const t1 = now();
    lab.run();
    const t2 = now();
    const c = lab.ipvsCounters('director')!;
    const forwarded = c.inPkts + c.outPkts;
    const wall = (t2 - t1) / 1000;
    io.out(
      `${JSON.stringify({
        sim: 'lvs-lab',
        clients: o.clients,
        servers: o.servers,
        sim_seconds: o.seconds,
        events: lab.eventsDispatched - eventsBefore,
        packets_forwarded: forwarded,
        connections_completed: completed,
        wall_seconds: Number(wall.toFixed(4)),
        setup_seconds: Number(((t1 - t0) / 1000).toFixed(4)),
        connections_started: c.conns,
        packets_per_connection: completed > 0 ? Number((forwarded / c.conns).toFixed(2)) : null,
        mean_response_ms: completed > 0 ? Number((latency / completed / 1e6).toFixed(3)) : null,
        packets_forwarded_per_wall_second: wall > 0 ? Math.round(forwarded / wall) : null,
        connections_per_wall_second: wall > 0 ? Math.round(completed / wall) : null,
        think: o.think,
        seed: o.seed,
      })}\n`,
    );
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io.err);
  }
}
