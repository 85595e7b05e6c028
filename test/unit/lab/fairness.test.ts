import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fairnessScenario,
  idealShares,
  Lab,
  maglevFill,
  maglevRemoval,
  parseWorkloadDefinitions,
  runFairness,
  schedulerRemoval,
  supermarket,
  supermarketTheory,
  WORKLOAD_LIBRARY,
  WorkloadDefinitionError,
  workloadsByName,
  KERNEL_MH_TABLE,
} from '../../../src/lab/index.ts';

const lib = workloadsByName();

/** The eleven workloads of issue 7, whose scenario texts predate destination prefixes. */
const ISSUE_7 = ['equal', 'unequal-capacity', 'unequal-misweighted', 'heavy-tail', 'bursty', 'zipf-clients', 'mega-proxy', 'persistent', 'server-add', 'server-remove', 'slow-server'];

describe('the workload library', () => {
  it('has the eleven names of issue 7 and cache-cluster, each a valid scenario with eight real servers', () => {
    expect(WORKLOAD_LIBRARY.map((w) => w.name)).toEqual([...ISSUE_7, 'cache-cluster']);
    for (const w of WORKLOAD_LIBRARY) {
      const text = fairnessScenario({ scheduler: 'wlc', workload: w, seed: 3, seconds: 10 });
      const spec = Lab.check(text, `${w.name}.yaml`);
      expect(spec.hosts.filter((h) => h.name.startsWith('rs'))).toHaveLength(8);
      expect(text).toContain(w.name === 'cache-cluster' ? 'ipvsadm -A -f 1 -s wlc' : 'ipvsadm -A -t 10.0.0.100:80 -s wlc');
    }
  });

  it("issue 7's workloads get the same scenario text as before destination prefixes existed, byte for byte", () => {
    // SHA-256 of the texts fairnessScenario wrote before the change (rr, seed 1, 10 s): `equal` alone, then all
    // eleven concatenated in library order.
    const text = (name: string) => fairnessScenario({ scheduler: 'rr', workload: lib.get(name)!, seed: 1, seconds: 10 });
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(sha(text('equal'))).toBe('3e79180f00324a02243e1e262a86b07ff582cc0d3175ac6e322fa02fff82bb7d');
    expect(sha(ISSUE_7.map(text).join(''))).toBe('8e56057b61d33f13cb1637f5830a33e98b333adcd40a650b2b7f5e87ab0b95f4');
  });

  it('cache-cluster: a firewall-mark service for the destination prefix, made local by policy routing', () => {
    const text = fairnessScenario({ scheduler: 'dh', workload: lib.get('cache-cluster')!, seed: 1, seconds: 4 });
    const director = text.slice(text.indexOf('  director:'), text.indexOf('  rs1:'));
    expect(director).toContain(
      [
        '      - iptables -t mangle -A PREROUTING -d 10.1.0.0/24 -p tcp --dport 80 -j MARK --set-mark 1',
        '      - ip rule add prio 100 fwmark 1 table 100',
        '      - ip route add local 0/0 dev lo table 100',
        '      - ipvsadm -A -f 1 -s dh',
        '      - ipvsadm -a -f 1 -r 192.168.1.1:80 -m -w 1',
      ].join('\n'),
    );
    expect(director).not.toContain('-t 10.0.0.100');
    expect(text).toContain('"to":{"prefix":"10.1.0.0/24","count":254,"zipf":1,"port":80}');
    const spec = Lab.check(text, 'cache-cluster.yaml');
    expect(spec.workload[0].to).toMatchObject({ kind: 'prefix', prefixLen: 24, count: 254, zipf: 1 });
    // Events of a definition with destination prefixes name the firewall-mark service too.
    const [d] = parseWorkloadDefinitions(
      ['- name: cc-remove', '  flows:', '    - { clients: { prefix: 172.16.0.0/24, count: 10 }, to: { prefix: 10.9.0.0/25, count: 100 }, arrivals: { poisson: 50/s } }', '  events: [{ at: 50%, remove: 8 }]'].join('\n'),
      'w.yaml',
    );
    const removal = fairnessScenario({ scheduler: 'dh', workload: d, seed: 1, seconds: 2 });
    expect(removal).toContain('run: "ipvsadm -d -f 1 -r 192.168.1.8:80"');
    expect(removal).toContain('-d 10.9.0.0/25 -p tcp --dport 80 -j MARK --set-mark 1');
    Lab.check(removal, 'cc-remove.yaml');
  });

  it('events become timeline entries at their share of the run; late-added servers are not in the time-0 table', () => {
    const add = fairnessScenario({ scheduler: 'rr', workload: lib.get('server-add')!, seed: 1, seconds: 4 });
    expect(add).toContain('{ at: 2000000000ns, host: director, run: "ipvsadm -a -t 10.0.0.100:80 -r 192.168.1.8:80 -m -w 1" }');
    expect(add.match(/^ {6}- ipvsadm -a /gm)).toHaveLength(7);
    const slow = fairnessScenario({ scheduler: 'rr', workload: lib.get('slow-server')!, seed: 1, seconds: 10 });
    expect(slow).toContain('{ at: 3000000000ns, slow: rs3, factor: 4 }');
    expect(fairnessScenario({ scheduler: 'rr', workload: lib.get('persistent')!, seed: 1, seconds: 1 })).toContain('-s rr -p 300');
  });

  it('weight-ideal shares follow the weights, phase by phase', () => {
    expect(idealShares(lib.get('unequal-capacity')!)).toEqual([1, 1, 1, 1, 2, 2, 3, 3].map((w) => w / 14));
    const add = idealShares(lib.get('server-add')!);
    // Half the run 1/7 each of seven, half 1/8 each of eight.
    expect(add[0]).toBeCloseTo(0.5 / 7 + 0.5 / 8, 12);
    expect(add[7]).toBeCloseTo(0.5 / 8, 12);
    expect(add.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('definitions from YAML: defaults, events, and errors that name the place', () => {
    const [d] = parseWorkloadDefinitions(
      ['workloads:', '  - name: tiny', '    servers: 2', '    weights: [1, 3]', '    flows:', '      - { clients: { prefix: 172.16.0.0/24, count: 10, zipf: 1.5 }, arrivals: { poisson: 50/s } }', '    events:', '      - { at: 25%, remove: 2 }'].join('\n'),
      'w.yaml',
    );
    expect(d).toMatchObject({ name: 'tiny', speeds: [1, 1], weights: [1, 3], events: [{ at: 0.25, kind: 'remove', server: 2 }] });
    expect(idealShares(d)).toEqual([0.25 * 0.25 + 0.75, 0.25 * 0.75]);
    Lab.check(fairnessScenario({ scheduler: 'sh', workload: d, seed: 1, seconds: 1 }), 'tiny.yaml');
    const bad = (text: string) => () => parseWorkloadDefinitions(text, 'w.yaml');
    expect(bad('- { name: x, flows: [] }')).toThrow(/workloads\[0\]\.flows: expected a list of one or more flows/);
    expect(bad('- { name: x, servers: 2, speeds: [1], flows: [{ clients: {}, arrivals: {} }] }')).toThrow(/speeds: expected a list of 2 numbers/);
    expect(bad('- { name: x, flows: [{ clients: {}, arrivals: {} }], events: [{ at: 50%, add: 9 }] }')).toThrow(/events\[0\]\.add: expected an integer from 1 to 8/);
    expect(bad('- { name: x, flows: [{ clients: {}, arrivals: {}, color: red }] }')).toThrow(/flows\[0\]\.color: unknown key/);
    expect(bad('- { name: "<b>", flows: [{ clients: {}, arrivals: {} }] }')).toThrow(WorkloadDefinitionError);
    // A flow's destination prefix takes no port (the cluster's is 80) and must be a mapping.
    expect(bad('- { name: x, flows: [{ clients: {}, arrivals: {}, to: { prefix: 10.1.0.0/24, count: 9, port: 81 } }] }')).toThrow(/flows\[0\]\.to\.port: unknown key \(expected one of prefix, count, zipf\)/);
    expect(bad('- { name: x, flows: [{ clients: {}, arrivals: {}, to: "10.1.0.1:80" }] }')).toThrow(/flows\[0\]\.to: expected \{ prefix: A\.B\.C\.D\/N, count: N, zipf: S \}/);
  });
});

describe('one fairness run (the full simulation)', () => {
  it('rr over eight equal servers: connections within one of each other, every exchange answered; deterministic', () => {
    const spec = { scheduler: 'rr', workload: lib.get('equal')!, seed: 5, seconds: 0.4 };
    const o = runFairness(spec);
    const total = o.connections.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(150);
    expect(Math.max(...o.connections) - Math.min(...o.connections)).toBeLessThanOrEqual(1);
    expect(o.latencies.length).toBe(total);
    expect(o.bytes.every((b, i) => b === o.responses[i] * 2000)).toBe(true);
    expect(o.refused + o.errors + o.drops + o.unscheduled).toBe(0);
    expect(runFairness(spec)).toEqual(o);
  });

  it('cache-cluster: dh spreads the destinations over several servers, each destination on one; rr stays even', () => {
    const dh = runFairness({ scheduler: 'dh', workload: lib.get('cache-cluster')!, seed: 4, seconds: 0.4 });
    const total = dh.connections.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(150);
    expect(dh.connections.filter((c) => c > 0).length).toBeGreaterThan(1);
    expect(new Set(dh.flows.destination).size).toBeGreaterThan(40);
    const serverOf = new Map<string, number>();
    dh.flows.destination.forEach((d, i) => {
      expect(serverOf.get(d) ?? dh.flows.server[i], d).toBe(dh.flows.server[i]);
      serverOf.set(d, dh.flows.server[i]);
    });
    // The `equal` cluster, whose sessions all go to the one VIP: dh has one destination to hash, so one server.
    const vip = runFairness({ scheduler: 'dh', workload: lib.get('equal')!, seed: 4, seconds: 0.4 });
    expect(vip.connections.filter((c) => c > 0)).toHaveLength(1);
    const rr = runFairness({ scheduler: 'rr', workload: lib.get('cache-cluster')!, seed: 4, seconds: 0.4 });
    expect(Math.max(...rr.connections) - Math.min(...rr.connections)).toBeLessThanOrEqual(1);
    expect(rr.latencies.length).toBe(rr.connections.reduce((a, b) => a + b, 0));
    expect(rr.refused + rr.errors + rr.drops + rr.unscheduled).toBe(0);
  });

  it('sh under a mega proxy sends the proxy\'s half of the traffic to one server', () => {
    const o = runFairness({ scheduler: 'sh', workload: lib.get('mega-proxy')!, seed: 2, seconds: 0.4 });
    const total = o.connections.reduce((a, b) => a + b, 0);
    expect(Math.max(...o.connections) / total).toBeGreaterThan(0.45);
  });
});

describe('published results (docs/benchmarks.md)', () => {
  it("Maglev's table fill: M = 65537, N = 1000 gives 65 or 66 slots each, max/mean ≤ 1.0071; the kernel's M = 4093", () => {
    const f = maglevFill(65537, 1000);
    expect([f.min, f.max]).toEqual([65, 66]);
    expect(f.maxOverMean).toBeLessThanOrEqual(1.0071);
    expect(KERNEL_MH_TABLE).toBe(4093);
    const k = maglevFill(KERNEL_MH_TABLE, 8);
    expect([k.min, k.max]).toEqual([511, 512]);
  });

  it('removing one backend moves its own 1/N and a little more, never less', () => {
    const r = maglevRemoval(KERNEL_MH_TABLE, 8);
    expect(r.necessary).toBeCloseTo(1 / 8, 2);
    expect(r.moved).toBeGreaterThanOrEqual(r.necessary);
    expect(r.moved).toBeLessThan(0.16);
    const big = maglevRemoval(65537, 1000);
    expect(big.necessary).toBeCloseTo(1 / 1000, 4);
    expect(big.moved).toBeLessThan(0.01);
    // Through the schedulers' own lookups: mh moves about 1/N, the kernel's sh (no consistent hashing) most.
    const mh = schedulerRemoval('mh', 8, 20_000);
    expect(mh.moved).toBeLessThan(0.16);
    expect(mh.moved).toBeGreaterThanOrEqual(mh.necessary);
    expect(schedulerRemoval('sh', 8, 20_000).moved).toBeGreaterThan(0.5);
  });

  it('the supermarket model at load 0.99: the lab\'s twos near 5.43, one random choice far above', () => {
    expect(supermarketTheory(0.99, 2)).toBeCloseTo(5.432, 3);
    expect(supermarketTheory(0.99, 1)).toBeCloseTo(100, 6);
    // 200 servers for 2000 time units (400,000 decisions): within 10 % of the n → ∞ limit (lvs-lab bench
    // published runs 1000 servers and gets within 1 %).
    const twos = supermarket('twos', 200, 0.99, 2000);
    expect(twos.meanTimeInSystem).toBeGreaterThan(5.2);
    expect(twos.meanTimeInSystem).toBeLessThan(6.2);
    const random = supermarket('random', 20, 0.99, 20_000);
    expect(random.meanTimeInSystem).toBeGreaterThan(25);
  });
});
