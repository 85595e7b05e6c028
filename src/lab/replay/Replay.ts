import { GreetingServer } from '../../apps/index.ts';
import { ipvsOf } from '../../ipvs/index.ts';
import type { Host, TcpConnection } from '../../net/index.ts';
import { buildScenario, loadScenario, ScenarioError } from '../../scenario/index.ts';
import { SECOND, type SimTime, type Simulator } from '../../sim/index.ts';
import { DEFAULT_LIMITS, LimitError } from '../../scenario/limits.ts';
import { CallbackSink } from '../../trace/index.ts';
import { parseIpv4, payloadText, type Payload } from '../../wire/index.ts';
import type { Experiment, ExperimentService } from './Experiment.ts';
import { addServerCommand, experimentScenario, forwardFlag, serverAddress, serviceArg, setupCommands } from './experimentScenario.ts';

/** One line of a replay's output, in the golden files' format (reference/oracle/README.md, "Output format"). */
export type ReplayRecord = Record<string, unknown> & { type: string };

const DUMP_COMMANDS = {
  list: 'ipvsadm -L -n',
  stats: 'ipvsadm -L -n --stats',
  conns: 'ipvsadm -L -n -c',
  rate: 'ipvsadm -L -n --rate',
  persistent: 'ipvsadm -L -n --persistent-conn',
  timeout: 'ipvsadm -L --timeout',
} as const;

/** How long one step may take in simulated time before the replay gives up on it (a lost connection, say). */
const STEP_LIMIT: SimTime = 60 * SECOND;
/** The client's harness paused this long between steps (the oracle's steps were a few ms apart). */
const STEP_GAP: SimTime = 2_000_000;

interface ClientConn {
  tcp: TcpConnection | undefined;
  rs: string | null;
  /** The server's FIN arrived. */
  remoteClosed: boolean;
  closed: boolean;
  refused: boolean;
  closing: boolean;
}

/**
 * `lvs-lab replay EXPERIMENT.json`: builds the experiment's topology as a scenario and runs its steps through
 * the full packet-level simulation — a client opening real TCP connections from the given addresses and ports,
 * greeting servers on the real servers, the director's IPVS choosing — and reports each decision, the counts in
 * /proc/net/ip_vs order, and the listings lvs-lab's own ipvsadm prints, as the oracle recorded them.
 */
export function replayExperiment(e: Experiment, opts: { seed?: number; maxEvents?: number; file?: string } = {}): ReplayRecord[] {
  const generated = `${e.name}.scenario.yaml`;
  let built;
  try {
    built = buildScenario(loadScenario(experimentScenario(e), generated), { seed: opts.seed });
  } catch (err) {
    // The setup the experiment asks for fails on the lab's hosts (a scheduler flag the scheduler refuses, a
    // sysctl value out of range): the experiment file's error, named as such, not the generated scenario's.
    if (!(err instanceof ScenarioError) || err.file !== generated) throw err;
    throw new ScenarioError(opts.file ?? `${e.name}.json`, { line: 1, column: 1 }, '', `an experiment whose setup the lab can build: ${err.expected}`, err.got);
  }
  const world = built.world;
  world.tracer.detach(world.memory);
  world.memory.events.length = 0;
  const logs: string[] = [];
  world.tracer.attach(
    new CallbackSink((ev) => {
      if (ev.kind === 'ipvs' && ev.event === 'log' && ev.detail !== undefined) logs.push(`[${(ev.t / SECOND).toFixed(6).padStart(12)}] ${ev.detail}`);
    }),
  );
  const sim = new BoundedSim(world.sim, opts.maxEvents ?? DEFAULT_LIMITS.maxEvents, e.name);
  const client = world.host('c');
  const director = world.host('d');
  const ipvs = ipvsOf(director);
  for (const rs of e.servers) {
    for (const port of new Set(e.services.map((s) => s.port))) new GreetingServer(world.host(rs.name), port, rs.name).start();
  }
  sim.runUntil(sim.now() + STEP_GAP);

  const t = () => Math.round((sim.now() / SECOND) * 1000) / 1000;
  const out: ReplayRecord[] = [];
  out.push({
    type: 'meta',
    name: e.name,
    description: e.description,
    mode: e.mode,
    servers: Object.fromEntries(e.servers.map((s) => [s.name, serverAddress(s.name)])),
    setup: setupCommands(e),
    t: t(),
  });

  const first = e.services[0];
  const byAddress = new Map(e.servers.map((s) => [serverAddress(s.name), s.name]));
  const counts = (): Record<string, [number, number, number]> => {
    const svc = ipvs.serviceFor(first.fwmark !== undefined ? { kind: 'fwmark', mark: first.fwmark } : { kind: 'addr', protocol: 'tcp', address: parseIpv4(first.vip)!, port: first.port });
    const c: Record<string, [number, number, number]> = {};
    for (const d of svc?.destinations ?? []) {
      const a = `${(d.address >>> 24) & 255}.${(d.address >>> 16) & 255}.${(d.address >>> 8) & 255}.${d.address & 255}`;
      c[byAddress.get(a) ?? a] = [d.activeConns, d.inactConns, d.weight];
    }
    return c;
  };
  const admin = (line: string): string => {
    let result: string | undefined;
    built.shell.run(director, line, (r) => (result = r.output));
    runWhile(sim, () => result === undefined, STEP_LIMIT);
    return result ?? '';
  };
  const conns: ClientConn[] = [];

  e.steps.forEach((step, index) => {
    switch (step.op) {
      case 'open': {
        const n = conns.length;
        const sport = step.sport ?? 10000 + n;
        const dst = step.dst ?? first.vip;
        const dport = step.dport ?? first.port;
        const c = openConnection(client, step.src, sport, dst, dport);
        conns.push(c);
        const start = sim.now();
        runWhile(sim, () => c.rs === null && !c.closed, STEP_LIMIT);
        const rec: ReplayRecord = { type: 'open', step: index, conn: n, src: step.src, sport, dst, dport, rs: c.rs };
        if (c.rs === null) rec.error = c.refused ? 'ConnectionRefusedError: [Errno 111] Connection refused' : c.closed ? 'ConnectionResetError: [Errno 104] Connection reset by peer' : 'TimeoutError: timed out';
        rec.ms = Math.round((sim.now() - start) / 1_000_000);
        rec.counts = counts();
        rec.t = t();
        out.push(rec);
        break;
      }
      case 'close': {
        const c = conns[step.conn];
        closeConnection(sim, c, step.rst);
        out.push({ type: 'close', step: index, conn: step.conn, rs: c.rs, rst: step.rst, t: t() });
        break;
      }
      case 'close_all':
        for (const c of conns) if (!c.closing && !c.closed) closeConnection(sim, c, false);
        out.push({ type: 'close_all', step: index, t: t() });
        break;
      case 'weight':
        for (const s of e.services) admin(`ipvsadm -e ${serviceArg(s)} -r ${serverAddress(step.server)}:${s.port} ${forwardFlag(e)} -w ${step.weight}`);
        out.push({ type: 'weight', step: index, server: step.server, weight: step.weight, counts: counts(), t: t() });
        break;
      case 'del_server':
        for (const s of e.services) admin(`ipvsadm -d ${serviceArg(s)} -r ${serverAddress(step.server)}:${s.port}`);
        out.push({ type: 'del_server', step: index, server: step.server, t: t() });
        break;
      case 'add_server':
        for (const s of e.services) admin(addServerCommand(e, s as ExperimentService, step.server, step.weight));
        out.push({ type: 'add_server', step: index, server: step.server, weight: step.weight, t: t() });
        break;
      case 'wait':
        sim.runUntil(sim.now() + Math.round(step.seconds * SECOND));
        out.push({ type: 'wait', step: index, seconds: step.seconds, t: t() });
        break;
      case 'dump':
        for (const what of step.what) {
          const cmd = DUMP_COMMANDS[what];
          out.push({ type: 'dump', step: index, what, cmd, text: admin(cmd), t: t() });
        }
        break;
    }
    sim.runUntil(sim.now() + STEP_GAP);
  });
  out.push({ type: 'kernel_log', lines: logs, t: t() });
  out.push({ type: 'end', t: t() });
  return out;
}

function openConnection(client: Host, src: string, sport: number, dst: string, dport: number): ClientConn {
  const c: ClientConn = { tcp: undefined, rs: null, remoteClosed: false, closed: false, refused: false, closing: false };
  let line = '';
  const r = client.sockets.connect(
    parseIpv4(dst)!,
    dport,
    {
      onData: (d: Payload) => {
        line += payloadText(d);
        const nl = line.indexOf('\n');
        if (nl >= 0 && c.rs === null) c.rs = line.slice(0, nl);
      },
      onRemoteClose: () => (c.remoteClosed = true),
      onClosed: (reason) => {
        c.closed = true;
        if (reason === 'refused') c.refused = true;
      },
    },
    { src: parseIpv4(src)!, sport },
  );
  if ('errno' in r) {
    c.closed = true;
    return c;
  }
  c.tcp = r;
  return c;
}

/** Graceful: FIN, then wait for the server's FIN. Abortive: RST (SO_LINGER 0), then let it reach the director. */
function closeConnection(sim: BoundedSim, c: ClientConn, rst: boolean): void {
  c.closing = true;
  if (!c.tcp || c.closed) return;
  if (rst) {
    c.tcp.endpoint.abort();
    sim.runUntil(sim.now() + STEP_GAP);
    return;
  }
  c.tcp.endpoint.close();
  runWhile(sim, () => !c.remoteClosed && !c.closed, STEP_LIMIT);
}

/** Steps the simulation while `cond` holds, for at most `limit` of simulated time. */
function runWhile(sim: BoundedSim, cond: () => boolean, limit: SimTime): void {
  const end = sim.now() + limit;
  while (cond()) {
    const next = sim.peek();
    if (next === undefined || next > end) {
      sim.runUntil(end);
      return;
    }
    sim.step();
  }
}

/** The replay's simulator with the run's event limit (LimitError when a step would pass it). */
class BoundedSim {
  constructor(
    private readonly sim: Simulator,
    private readonly maxEvents: number,
    private readonly name: string,
  ) {}

  now(): SimTime {
    return this.sim.now();
  }

  peek(): SimTime | undefined {
    return this.sim.peek();
  }

  runUntil(t: SimTime): void {
    if (!this.sim.runUntil(t, Math.max(0, this.maxEvents - this.sim.eventsDispatched))) throw this.limit();
  }

  step(): void {
    if (this.sim.eventsDispatched >= this.maxEvents) throw this.limit();
    this.sim.step();
  }

  private limit(): LimitError {
    return new LimitError('maxEvents', this.maxEvents, `${this.name}: the replay stopped at ${this.sim.now()} ns of simulated time after ${this.sim.eventsDispatched} events`);
  }
}

export { DUMP_COMMANDS };
