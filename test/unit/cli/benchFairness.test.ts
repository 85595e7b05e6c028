import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, mainAsync } from '../../../src/cli/program.ts';
import { tempDir } from './helpers.ts';

/**
 * lvs-lab bench: the sweep's sharding and merge (N slices merged = one unsharded run, byte for byte), slices
 * deterministic, the Kubernetes environment as the shard, the workload listing, and the escaping of names.
 * A small sweep (2 schedulers x 2 workloads x 2 seeds, 0.2 simulated seconds each) keeps it fast.
 */

const { dir, cleanup } = tempDir();
afterAll(cleanup);

interface Captured {
  status: number;
  out: string;
  err: string;
}

async function bench(args: string[], env: Record<string, string> = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const status = await mainAsync(['bench', ...args], io, { write: io.err, tty: false, now: () => 0 }, env);
  return { status, out, err };
}

function filesOf(d: string): Map<string, string> {
  return new Map(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f), 'utf8')]));
}

const SWEEP = ['fairness', '--schedulers', 'rr,sh', '--workload', 'equal,server-remove', '--seeds', '1-2', '--seconds', '0.2'];

describe('lvs-lab bench fairness', () => {
  it('three slices merged equal the unsharded sweep byte for byte; a slice is deterministic', async () => {
    const whole = await bench([...SWEEP, '--out', join(dir, 'whole'), '--jobs', '2']);
    expect(whole.err).toMatch(/8 runs in .* on 2 worker\(s\)/);
    expect(whole.status).toBe(0);
    expect(whole.out).toBe('');
    const slices: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = join(dir, `slice${i}`);
      slices.push(d);
      const r = await bench([...SWEEP, '--out', d, '--shard', `${i}/3`, '--jobs', '0']);
      expect(r.status).toBe(0);
      expect(r.err).toMatch(new RegExp(`${i < 2 ? 3 : 2} runs \\(slice ${i}/3\\)`));
    }
    // The second slice again, its shard from a Kubernetes Indexed Job's environment: the same bytes.
    const again = await bench([...SWEEP, '--out', join(dir, 'again'), '--jobs', '0'], { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '3' });
    expect(again.status).toBe(0);
    expect(filesOf(join(dir, 'again'))).toEqual(filesOf(slices[1]));
    expect(readFileSync(join(slices[1], 'summary.md'), 'utf8')).toContain('This is slice 1 of 3');

    let err = '';
    const status = main(['bench', 'merge', ...slices, '--out', join(dir, 'merged')], { out: () => {}, err: (t) => void (err += t) });
    expect(err).toMatch(/merged 8 of 8 runs from 3 directories/);
    expect(status).toBe(0);
    const merged = filesOf(join(dir, 'merged'));
    const expected = filesOf(join(dir, 'whole'));
    expect([...merged.keys()]).toEqual(['disruption.svg', 'jain.svg', 'latency-equal.svg', 'latency-server-remove.svg', 'report.html', 'runs.csv', 'runs.json', 'share-equal.svg', 'share-server-remove.svg', 'summary.csv', 'summary.md']);
    for (const [name, text] of expected) expect(merged.get(name), name).toBe(text);

    const csv = expected.get('runs.csv')!.trim().split('\n');
    expect(csv).toHaveLength(9);
    expect(csv[1]).toMatch(/^rr,equal,1,/);
    const md = expected.get('summary.md')!;
    expect(md).toMatch(/\| equal \| rr \| (1\.000|0\.99\d) ± 0\.00\d \|/);
    expect(md).toMatch(/\| server-remove \| sh \|/);

    // A missing slice is refused, and so is a slice of another sweep.
    const partial = main(['bench', 'merge', slices[0], slices[1], '--out', join(dir, 'partial')], { out: () => {}, err: (t) => void (err += t) });
    expect(partial).toBe(2);
    expect(err).toMatch(/2 of 8 runs are missing/);
  }, 60_000);

  it('options are checked before anything runs', async () => {
    const bad = async (args: string[], message: RegExp, env: Record<string, string> = {}) => {
      const r = await bench(args, env);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(message);
    };
    const base = ['fairness', '--workload', 'equal', '--out', join(dir, 'x')];
    await bad([...base, '--schedulers', 'rr,xx'], /no scheduler "xx"/);
    await bad(['fairness', '--schedulers', 'rr', '--workload', 'nope', '--out', join(dir, 'x')], /no workload "nope"/);
    await bad([...base, '--schedulers', 'rr', '--seeds', '5-1'], /--seeds: expected seeds/);
    await bad([...base, '--schedulers', 'rr', '--shard', '3/3'], /--shard: expected I\/N/);
    await bad([...base, '--schedulers', 'rr'], /JOB_COMPLETION_INDEX and JOB_COMPLETIONS must be set together/, { JOB_COMPLETION_INDEX: '0' });
    await bad([...base, '--schedulers', 'rr', '--seconds', '0'], /expected simulated seconds/);
  });

  it('bench workloads lists the library and checks a definition file; names are escaped in the report', async () => {
    const out: string[] = [];
    expect(main(['bench', 'workloads'], { out: (t) => void out.push(t), err: () => {} })).toBe(0);
    expect(out.join('')).toMatch(/^equal {2,}eight equal servers/m);
    expect(out.join('')).toMatch(/^cache-cluster {2,}a cache cluster: 1,000 clients reach 254 origin addresses/m);
    expect(out.join('').trim().split('\n')).toHaveLength(12);
    const file = join(dir, 'w.yaml');
    writeFileSync(file, ['workloads:', '  - name: two', '    description: "<script>alert(1)</script> & more"', '    servers: 2', '    flows:', '      - { clients: { prefix: 172.16.0.0/24, count: 20 }, arrivals: { poisson: 100/s } }'].join('\n'));
    const listed: string[] = [];
    expect(main(['bench', 'workloads', '--file', file], { out: (t) => void listed.push(t), err: () => {} })).toBe(0);
    expect(listed.join('')).toMatch(/^two +<script>/m);
    const r = await bench(['fairness', '--schedulers', 'rr', '--workload', 'two', '--workload-file', file, '--seeds', '1', '--seconds', '0.2', '--jobs', '0', '--out', join(dir, 'esc')]);
    expect(r.status).toBe(0);
    const html = readFileSync(join(dir, 'esc', 'report.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    writeFileSync(file, ['- name: broken', '  flows:', '    - { clients: { prefix: 172.16.0.0/24, count: 20 }, arrivals: { poisson: fast } }'].join('\n'));
    let err = '';
    expect(main(['bench', 'workloads', '--file', file], { out: () => {}, err: (t) => void (err += t) })).toBe(2);
    expect(err).toMatch(/workload broken does not make a valid scenario: .*arrivals/);
  });
});

describe('lvs-lab bench nat', () => {
  it("prints one JSON line with the ns-3 peer program's fields, and does the same kind of work", () => {
    let out = '';
    const status = main(['bench', 'nat', '--clients', '5', '--servers', '2', '--seconds', '2', '--think', '0.1', '--seed', '3'], { out: (t) => void (out += t), err: () => {} });
    expect(status).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]) as Record<string, number | string>;
    for (const k of ['clients', 'servers', 'sim_seconds', 'events', 'packets_forwarded', 'connections_completed', 'wall_seconds']) expect(r, k).toHaveProperty(k);
    expect(r).toMatchObject({ sim: 'lvs-lab', clients: 5, servers: 2, sim_seconds: 2 });
    // Closed loop with sub-ms responses: about clients × seconds / think = 100 connections (Poisson-like spread).
    expect(r.connections_completed).toBeGreaterThan(60);
    expect(r.connections_completed).toBeLessThan(140);
    // Every request and reply packet crosses the NAT director: 19 per connection in ns-3, a few more here.
    expect(Number(r.packets_forwarded) / Number(r.connections_started)).toBeGreaterThanOrEqual(19);
    expect(Number(r.packets_forwarded) / Number(r.connections_started)).toBeLessThan(30);
  });
});
