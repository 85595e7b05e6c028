import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GreetingServer } from '../../src/apps/index.ts';
import { ipvsOf } from '../../src/ipvs/index.ts';
import type { Ipvs } from '../../src/ipvs/Ipvs.ts';
import type { TcpConnection } from '../../src/net/index.ts';
import { buildScenario, loadScenario } from '../../src/scenario/index.ts';
import { SECOND } from '../../src/sim/index.ts';
import { parseIpv4 } from '../../src/wire/index.ts';

/** A NAT director with three real servers and a client with eight addresses, configured without ipvsadm. */
function cluster() {
  const clients = Array.from({ length: 8 }, (_, i) => `10.1.1.${10 + i}/16`).join(', ');
  const rs = [1, 2, 3]
    .map(
      (k) => `  rs${k}:
    interfaces:
      eth0: { segment: s${k}, addresses: [10.2.${k}.2/24] }
    commands:
      - ip route add default via 10.2.${k}.1`,
    )
    .join('\n');
  const yaml = `name: counters
duration: 60m
segments:
  c0: {}
  s1: {}
  s2: {}
  s3: {}
hosts:
  c:
    interfaces:
      c0: { segment: c0, addresses: [${clients}] }
    commands:
      - ip route add default via 10.1.0.1
  d:
    interfaces:
      d0: { segment: c0, addresses: [10.1.0.1/16] }
      d1: { segment: s1, addresses: [10.2.1.1/24] }
      d2: { segment: s2, addresses: [10.2.2.1/24] }
      d3: { segment: s3, addresses: [10.2.3.1/24] }
    sysctl:
      net.ipv4.ip_forward: 1
    commands:
      - ip route add local 10.0.0.0/16 dev lo
${rs}
`;
  const built = buildScenario(loadScenario(yaml, 'counters.yaml'));
  return built.world;
}

type Action =
  | { kind: 'open'; client: number }
  | { kind: 'close'; conn: number; rst: boolean }
  | { kind: 'weight'; dest: number; weight: number }
  | { kind: 'wait'; seconds: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('open' as const), client: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('close' as const), conn: fc.nat(40), rst: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('weight' as const), dest: fc.integer({ min: 1, max: 3 }), weight: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.constantFrom(1, 11, 61, 121) }) },
);

/** What every destination's counters must say about the table (ip_vs_bind_dest / set_tcp_state / unbind). */
let seenConnections = 0;

function checkCounters(ipvs: Ipvs): void {
  const entries = [...ipvs.conns.entries()];
  seenConnections = Math.max(seenConnections, entries.length);
  for (const view of ipvs.control.services()) {
    for (const d of view.destinations) {
      const mine = entries.filter((cp) => cp.dest?.address === d.address && cp.dest.port === d.port);
      const conns = mine.filter((cp) => !cp.template);
      expect(d.activeConns + d.inactConns, 'active + inactive = connections in the table').toBe(conns.length);
      expect(d.activeConns, 'active = connections counted active').toBe(conns.filter((cp) => !cp.inactive).length);
      expect(d.persistConns, 'persistent = templates').toBe(mine.filter((cp) => cp.template).length);
    }
  }
}

describe('IPVS connection counters (property)', () => {
  it('active + inactive always equal the connections in the table, per destination', () => {
    fc.assert(
      fc.property(fc.constantFrom('rr', 'wlc', 'lc', 'sh', 'wrr'), fc.boolean(), fc.array(action, { minLength: 1, maxLength: 30 }), (sched, persistent, actions) => {
        const world = cluster();
        const sim = world.sim;
        const ipvs = ipvsOf(world.host('d'));
        const key = { kind: 'addr', protocol: 'tcp', address: parseIpv4('10.0.0.100')!, port: 80 } as const;
        expect(ipvs.control.addService({ key, scheduler: sched, persistent, timeout: persistent ? 5 : 0 })).toBeUndefined();
        for (const k of [1, 2, 3]) {
          expect(ipvs.control.addDest(key, { address: parseIpv4(`10.2.${k}.2`)!, port: 80, fwd: 'masq', weight: 1 })).toBeUndefined();
          new GreetingServer(world.host(`rs${k}`), 80, `rs${k}`).start();
        }
        const client = world.host('c');
        const conns: TcpConnection[] = [];
        let sport = 20000;
        for (const a of actions) {
          switch (a.kind) {
            case 'open': {
              const r = client.sockets.connect(key.address, 80, {}, { src: parseIpv4(`10.1.1.${10 + a.client}`)!, sport: sport++ });
              if (!('errno' in r)) conns.push(r);
              sim.runUntil(sim.now() + 20_000_000);
              break;
            }
            case 'close': {
              const c = conns[a.conn % Math.max(1, conns.length)];
              if (c) (a.rst ? c.endpoint.abort() : c.endpoint.close());
              sim.runUntil(sim.now() + 20_000_000);
              break;
            }
            case 'weight':
              ipvs.control.editDest(key, { address: parseIpv4(`10.2.${a.dest}.2`)!, port: 80, fwd: 'masq', weight: a.weight });
              break;
            case 'wait':
              sim.runUntil(sim.now() + a.seconds * SECOND);
              break;
          }
          checkCounters(ipvs);
        }
      }),
      { numRuns: 40 },
    );
    // The property held over tables that really had entries in them.
    expect(seenConnections).toBeGreaterThan(3);
  });
});
