import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { MS, SECOND } from '../../../src/sim/index.ts';
import { errorOf, withHosts } from './helpers.ts';

const HOSTS = ['  c:', '    interfaces:', '      eth0: { segment: lan, addresses: [10.0.0.2/24] }'];
/** A scenario with host c and the given `workload:` entry lines (the first entry is on line 9). */
const withWorkload = (...lines: string[]) => withHosts(...HOSTS, 'workload:', ...lines);
const where = (text: string) => {
  const e = errorOf(text);
  return [e.line, e.column, e.path, e.expected] as const;
};
/** Line and column of `token` (its `nth` occurrence) within `entry`, written on line `line`. */
const pos = (entry: string, token: string, line = 9, nth = 1): [number, number] => {
  let i = -1;
  for (let k = 0; k < nth; k++) i = entry.indexOf(token, i + 1);
  if (i < 0) throw new Error(`${token} not in ${entry}`);
  return [line, i + 1];
};
/** [line, column, path] of the error a one-entry workload raises. */
const errAt = (entry: string) => where(withWorkload(entry)).slice(0, 3);

describe('workload: (extension) is read and typed', () => {
  it('a full entry', () => {
    const spec = loadScenario(
      withWorkload(
        '  - name: web',
        '    from: c',
        '    to: 10.0.0.100:80',
        '    protocol: http',
        '    clients: { prefix: 10.0.1.0/24, count: 50 }',
        '    arrivals: { on_off: { rate: 250/s, on: 1s, off: 500ms } }',
        '    start: 1s',
        '    stop: 9s',
        '    request: { exponential: 300B }',
        '    response: { pareto: 1KB, shape: 1.2, max: 1MB }',
        '    requests_per_connection: 3',
        '    timeout: 2s',
      ),
      'w.yaml',
    );
    const w = spec.workload[0];
    expect(w).toMatchObject({
      name: 'web',
      from: 'c',
      port: 80,
      protocol: 'http',
      clients: { kind: 'prefix', prefixLen: 24, count: 50 },
      arrivals: { kind: 'on-off', rate: 250, on: SECOND, off: 500 * MS },
      start: SECOND,
      stop: 9 * SECOND,
      request: { kind: 'exponential', mean: 300 },
      response: { kind: 'pareto', min: 1000, shape: 1.2, max: 1_000_000 },
      requestsPerConnection: 3,
      timeout: 2 * SECOND,
    });
  });

  it('defaults: http, the host\'s own address, 100B requests, 1KB responses, one request per connection', () => {
    const w = loadScenario(withWorkload('  - { from: c, to: 10.0.0.100:80, arrivals: { closed: { users: 4, think: { exponential: 2s } } } }'), 'w.yaml').workload[0];
    expect(w).toMatchObject({ name: 'workload1', protocol: 'http', clients: { kind: 'host' }, start: 0, requestsPerConnection: 1 });
    expect(w.arrivals).toEqual({ kind: 'closed', users: 4, think: { kind: 'exponential', mean: 2 * SECOND } });
    expect(w.request).toEqual({ kind: 'fixed', value: 100 });
    expect(w.response).toEqual({ kind: 'fixed', value: 1024 });
    expect(w.stop).toBeUndefined();
  });

  it('richer services: capacity, speed, check file, udp and ftp kinds', () => {
    const spec = loadScenario(
      withHosts(
        '  rs:',
        '    services:',
        '      - { port: 80, workers: 4, service_time: { exponential: 5ms }, speed: 1.5, check: { path: /alive.txt, body: "up" } }',
        '      - { port: 53, protocol: udp }',
        '      - { port: 21, app: ftp, passive_ports: 40000-40099 }',
        '      - { port: 8080 }',
      ),
      's.yaml',
    );
    const [http, dns, ftp, plain] = spec.hosts[0].services;
    expect(http).toMatchObject({ app: 'http', protocol: 'tcp', workers: 4, queue: 100, serviceTime: { kind: 'exponential', mean: 5 * MS }, speed: 1.5, check: { path: '/alive.txt', body: 'up' } });
    expect(dns).toMatchObject({ app: 'dns', protocol: 'udp' });
    expect(ftp).toMatchObject({ app: 'ftp', protocol: 'tcp', passivePorts: { min: 40000, max: 40099 } });
    expect(plain).toMatchObject({ app: 'http', protocol: 'tcp', response: 512 });
    expect(plain.workers).toBeUndefined();
  });
});

describe('workload: errors name the file, line, column and field', () => {
  it('an unknown key', () => {
    const e = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, rate: 5 }';
    expect(where(withWorkload(e))).toEqual([
      ...pos(e, 'rate'),
      'workload[0].rate',
      'one of the keys name, from, to, protocol, clients, arrivals, start, stop, request, response, requests_per_connection, timeout, ftp_mode',
    ]);
  });

  it('missing arrivals, unknown host, bad destination', () => {
    const noArrivals = '  - { from: c, to: 10.0.0.100:80 }';
    expect(errAt(noArrivals)).toEqual([...pos(noArrivals, '{'), 'workload[0].arrivals']);
    const nobody = '  - { from: nobody, to: 10.0.0.100:80, arrivals: { every: 1s } }';
    expect(errAt(nobody)).toEqual([...pos(nobody, 'nobody'), 'workload[0].from']);
    const noPort = '  - { from: c, to: 10.0.0.100, arrivals: { every: 1s } }';
    expect(errAt(noPort)).toEqual([...pos(noPort, '10.0.0.100'), 'workload[0].to']);
  });

  it('arrivals: one form, with its own keys and units', () => {
    const two = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s, poisson: 5/s } }';
    expect(errAt(two)).toEqual([...pos(two, 'poisson'), 'workload[0].arrivals.poisson']);
    const unitless = '  - { from: c, to: 10.0.0.100:80, arrivals: { poisson: 5 } }';
    expect(where(withWorkload(unitless))[3]).toMatch(/^a rate N\/s/);
    expect(errAt(unitless)).toEqual([...pos(unitless, '5 }'), 'workload[0].arrivals.poisson']);
    const zero = '  - { from: c, to: 10.0.0.100:80, arrivals: { poisson: 0/s } }';
    expect(errAt(zero)).toEqual([...pos(zero, '0/s'), 'workload[0].arrivals.poisson']);
    const unknown = '  - { from: c, to: 10.0.0.100:80, arrivals: { bursts: 5 } }';
    expect(errAt(unknown)).toEqual([...pos(unknown, '{ bursts'), 'workload[0].arrivals']);
    const noOff = '  - { from: c, to: 10.0.0.100:80, arrivals: { on_off: { rate: 5/s, on: 1s } } }';
    expect(errAt(noOff)).toEqual([...pos(noOff, '{ rate'), 'workload[0].arrivals.on_off.off']);
    const noUsers = '  - { from: c, to: 10.0.0.100:80, arrivals: { closed: { users: 0, think: 1s } } }';
    expect(errAt(noUsers)).toEqual([...pos(noUsers, '0, think'), 'workload[0].arrivals.closed.users']);
  });

  it('sizes and distributions', () => {
    const bare = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, request: 100 }';
    expect(errAt(bare)).toEqual([...pos(bare, '100 }'), 'workload[0].request']);
    const shape = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, response: { pareto: 1KB, shape: -1 } }';
    expect(errAt(shape)).toEqual([...pos(shape, '-1'), 'workload[0].response.shape']);
    const max = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, response: { pareto: 1KB, max: 10B } }';
    expect(errAt(max)).toEqual([...pos(max, '10B'), 'workload[0].response.max']);
    const normal = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, response: { normal: 1KB } }';
    expect(errAt(normal)).toEqual([...pos(normal, '{ normal'), 'workload[0].response']);
  });

  it('client populations', () => {
    const tooMany = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, clients: { prefix: 10.0.1.0/30, count: 3 } }';
    expect(where(withWorkload(tooMany))).toEqual([...pos(tooMany, '3 }'), 'workload[0].clients.count', 'at most 2 addresses (the usable addresses of a /30)']);
    const badProxy = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, clients: { megaproxy: 10.0.0.300 } }';
    expect(errAt(badProxy)).toEqual([...pos(badProxy, '10.0.0.300'), 'workload[0].clients.megaproxy']);
    const mixed = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, clients: { prefix: 10.0.1.0/24, count: 3, users: 9 } }';
    expect(errAt(mixed)).toEqual([...pos(mixed, 'users'), 'workload[0].clients.users']);
    const zipf = loadScenario(withWorkload('  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, clients: { prefix: 10.0.1.0/24, count: 50, zipf: 1.2 } }'), 'w.yaml');
    expect(zipf.workload[0].clients).toMatchObject({ kind: 'prefix', count: 50, zipf: 1.2 });
    const badZipf = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, clients: { prefix: 10.0.1.0/24, count: 3, zipf: 0 } }';
    expect(errAt(badZipf)).toEqual([...pos(badZipf, '0 }'), 'workload[0].clients.zipf']);
  });

  it('names are unique, stop comes after start', () => {
    const entry = '  - { name: w, from: c, to: 10.0.0.100:80, arrivals: { every: 1s } }';
    const dup = errorOf(withWorkload(entry, entry));
    expect([dup.line, dup.column, dup.path]).toEqual([...pos(entry, 'w,', 10), 'workload[1].name']);
    expect(dup.expected).toMatch(/first at line 9/);
    const stop = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, start: 2s, stop: 1s }';
    expect(errAt(stop)).toEqual([...pos(stop, '1s', 9, 2), 'workload[0].stop']);
  });

  it('ftp_mode: passive (default) or active, and only with protocol: ftp', () => {
    const ftp = (mode: string) => `  - { from: c, to: 10.0.0.100:21, protocol: ftp, arrivals: { every: 1s }${mode} }`;
    expect(loadScenario(withWorkload(ftp('')), 't.yaml').workload[0].ftpMode).toBeUndefined();
    expect(loadScenario(withWorkload(ftp(', ftp_mode: active')), 't.yaml').workload[0].ftpMode).toBe('active');
    const bad = ftp(', ftp_mode: port');
    expect(where(withWorkload(bad))).toEqual([...pos(bad, 'port }'), 'workload[0].ftp_mode', 'an ftp_mode: passive or active']);
    const http = '  - { from: c, to: 10.0.0.100:80, arrivals: { every: 1s }, ftp_mode: active }';
    expect(where(withWorkload(http))).toEqual([...pos(http, 'active'), 'workload[0].ftp_mode', 'ftp_mode only with protocol: ftp']);
  });
});

describe('workload to: a destination prefix (extension)', () => {
  const entry = (to: string) => `  - { from: c, to: ${to}, arrivals: { every: 1s } }`;

  it('is read as a prefix population with its port; zipf optional; the one-address form is unchanged', () => {
    const w = loadScenario(withWorkload(entry('{ prefix: 10.1.0.77/24, count: 200, port: 8080, zipf: 1.5 }')), 'w.yaml').workload[0];
    expect(w.to).toEqual({ kind: 'prefix', network: 0x0a010000, prefixLen: 24, count: 200, zipf: 1.5 });
    expect(w.port).toBe(8080);
    const uniform = loadScenario(withWorkload(entry('{ port: 80, count: 254, prefix: 10.1.0.0/24 }')), 'w.yaml').workload[0];
    expect(uniform.to).toEqual({ kind: 'prefix', network: 0x0a010000, prefixLen: 24, count: 254 });
    const block = loadScenario(withWorkload('  - from: c', '    to:', '      prefix: 10.2.0.0/16', '      count: 1000', '      port: 53', '    protocol: dns', '    arrivals: { poisson: 10/s }'), 'w.yaml').workload[0];
    expect(block).toMatchObject({ to: { kind: 'prefix', prefixLen: 16, count: 1000 }, port: 53, protocol: 'dns' });
    const one = loadScenario(withWorkload(entry('10.0.0.100:80')), 'w.yaml').workload[0];
    expect([one.to, one.port]).toEqual([0x0a000064, 80]);
  });

  it('errors name the file, line, column and field', () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['{ prefix: 10.1.0.0/24, count: 20, port: 80, popularity: 1 }', 'popularity', 'to.popularity', /^one of the keys prefix, count, port, zipf$/],
      ['{ prefix: 10.1.0.0/24, count: 20 }', '{ prefix', 'to.port', /port: key/],
      ['{ prefix: 10.1.0.0/24, port: 80 }', '{ prefix', 'to.count', /count: key/],
      ['{ count: 20, port: 80 }', '{ count', 'to.prefix', /prefix: key/],
      ['{ prefix: 10.1.0.0, count: 20, port: 80 }', '10.1.0.0,', 'to.prefix', /a prefix A\.B\.C\.D\/N/],
      ['{ prefix: 10.1.0.0/24, count: 255, port: 80 }', '255', 'to.count', /^at most 254 addresses \(the usable addresses of a \/24\)$/],
      ['{ prefix: 10.1.0.0/24, count: 0, port: 80 }', '0, port', 'to.count', /count of destination addresses/],
      ['{ prefix: 10.1.0.0/24, count: 20, port: 70000 }', '70000', 'to.port', /destination port, 1 to 65535/],
      ['{ prefix: 10.1.0.0/24, count: 20, port: 80, zipf: -1 }', '-1', 'to.zipf', /Zipf exponent/],
      ['[10.1.0.1:80, 10.1.0.2:80]', '[10.1.0.1', 'to', /A\.B\.C\.D:PORT, or \{ prefix: A\.B\.C\.D\/N, count: N, port: PORT \}/],
    ];
    for (const [to, token, path, expected] of cases) {
      const e = entry(to);
      const [line, column, field, message] = where(withWorkload(e));
      expect([line, column, field], to).toEqual([...pos(e, token), `workload[0].${path}`]);
      expect(message, to).toMatch(expected);
    }
    // Several bad values: the first in the file is reported, whichever key it is.
    const two = entry('{ port: 0, prefix: 10.1.0.0/24, count: 999 }');
    expect(errAt(two)).toEqual([...pos(two, '0,'), 'workload[0].to.port']);
    const { message } = errorOf(withWorkload(entry('{ prefix: 10.1.0.0/24, count: 20, port: 80, zipf: 0 }')), 'w.yaml');
    expect(message).toMatch(/^w\.yaml:9:\d+: workload\[0\]\.to\.zipf: expected a Zipf exponent above 0/);
  });
});

describe('service keys: errors', () => {
  const svc = (s: string) => withHosts('  rs:', '    services:', `      - ${s}`);
  const at = (s: string, token: string) => [7, `      - ${s}`.indexOf(token) + 1];
  const errOf = (s: string) => where(svc(s)).slice(0, 3);
  it('an unknown key, a bad speed, an app over the wrong protocol, passive ports off ftp', () => {
    const cases: Array<[string, string, string]> = [
      ['{ port: 80, threads: 4 }', 'threads', 'threads'],
      ['{ port: 80, speed: 0 }', '0 }', 'speed'],
      ['{ port: 53, protocol: udp, app: ftp }', 'ftp', 'app'],
      ['{ port: 80, passive_ports: 1-2 }', '1-2', 'passive_ports'],
      ['{ port: 80, check: { path: check.txt } }', 'check.txt', 'check.path'],
      ['{ port: 80, service_time: 5 }', '5 }', 'service_time'],
      ['{ port: 80, workers: -1 }', '-1', 'workers'],
    ];
    for (const [s, token, path] of cases) expect(errOf(s)).toEqual([...at(s, token), `hosts.rs.services[0].${path}`]);
  });
});
