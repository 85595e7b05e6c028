import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/ipvs/Connection.ts';
import { ConnectionTable, type NewConnection } from '../../../src/ipvs/ConnectionTable.ts';
import { Destination } from '../../../src/ipvs/Destination.ts';
import { VirtualService } from '../../../src/ipvs/VirtualService.ts';
import type { Scheduler } from '../../../src/ipvs/schedulers/Scheduler.ts';
import { MS, SECOND, Simulator } from '../../../src/sim/index.ts';
import { parseIpv4 } from '../../../src/wire/index.ts';

const ip = (s: string) => parseIpv4(s)!;
const noScheduler: Scheduler = { name: 'none', schedule: () => null };

function setup(uThreshold = 0, lThreshold = 0) {
  const sim = new Simulator();
  const expired: Connection[] = [];
  const table = new ConnectionTable(sim, { created: () => undefined, expired: (cp) => expired.push(cp) });
  const svc = new VirtualService({ kind: 'addr', protocol: 'tcp', address: ip('10.0.0.100'), port: 80 }, noScheduler);
  const dest = new Destination(svc, { address: ip('10.2.1.2'), port: 80, fwd: 'masq', weight: 1, uThreshold, lThreshold });
  svc.destinations.push(dest);
  const conn = (cport: number, over: Partial<NewConnection> = {}): NewConnection => ({
    protocol: 6,
    caddr: ip('10.1.1.10'),
    cport,
    vaddr: ip('10.0.0.100'),
    vport: 80,
    daddr: dest.address,
    dport: 8080,
    template: false,
    onePacket: false,
    dest,
    fwd: 'masq',
    service: svc,
    ...over,
  });
  return { sim, table, svc, dest, conn, expired };
}

describe('ConnectionTable', () => {
  it('finds a NAT entry from the client side and from the real server side', () => {
    const { table, conn } = setup();
    const cp = table.create(conn(20000));
    expect(table.lookupIn(6, ip('10.1.1.10'), 20000, ip('10.0.0.100'), 80)).toBe(cp);
    expect(table.lookupOut(6, ip('10.2.1.2'), 8080, ip('10.1.1.10'), 20000)).toBe(cp);
    expect(table.lookupOut(6, ip('10.0.0.100'), 80, ip('10.1.1.10'), 20000)).toBeUndefined();
  });

  it('finds a DR entry from the reply side by the virtual address', () => {
    const { table, conn } = setup();
    const cp = table.create(conn(20001, { fwd: 'route', dport: 80 }));
    expect(table.lookupOut(6, ip('10.0.0.100'), 80, ip('10.1.1.10'), 20001)).toBe(cp);
    expect(cp.noOutput).toBe(true);
  });

  it('counts a new entry as inactive in totalconns, and expires it after its timeout unless put again', () => {
    const { sim, table, dest, conn, expired } = setup();
    const cp = table.create(conn(20000));
    expect([dest.activeConns, dest.inactConns]).toEqual([0, 1]);
    cp.timeout = 10 * SECOND;
    table.put(cp);
    sim.runUntil(9 * SECOND);
    table.put(cp); // now the deadline is 19 s
    sim.runUntil(18 * SECOND);
    expect(expired).toEqual([]);
    sim.runUntil(19 * SECOND);
    expect(expired).toEqual([cp]);
    expect(dest.totalConns).toBe(0);
    expect(table.lookupIn(6, ip('10.1.1.10'), 20000, ip('10.0.0.100'), 80)).toBeUndefined();
  });

  it('re-arms a template that still controls a connection for 60 s at a time, then frees it', () => {
    const { sim, table, dest, conn, expired } = setup();
    const ct = table.create(conn(0, { template: true, caddr: ip('10.1.1.10'), dport: 80 }));
    ct.timeout = 2 * SECOND;
    table.put(ct);
    const cp = table.create(conn(20000));
    table.control(cp, ct);
    cp.timeout = 10 * SECOND;
    table.put(cp);
    expect(dest.persistConns).toBe(1);
    sim.runUntil(2 * SECOND);
    expect(ct.linked).toBe(true);
    expect(ct.timeout).toBe(60 * SECOND);
    sim.runUntil(10 * SECOND);
    expect(expired).toEqual([cp]);
    expect(ct.nControl).toBe(0);
    sim.runUntil(61 * SECOND);
    expect(ct.linked).toBe(true);
    sim.runUntil(62 * SECOND);
    expect(expired).toEqual([cp, ct]);
    expect(dest.persistConns).toBe(0);
  });

  it('never matches a template with a packet, and an invalidated template no longer matches its key', () => {
    const { table, conn } = setup();
    const ct = table.create(conn(0, { template: true }));
    expect(table.lookupIn(6, ip('10.1.1.10'), 0, ip('10.0.0.100'), 80)).toBeUndefined();
    expect(table.lookupTemplate(6, ip('10.1.1.10'), ip('10.0.0.100'), 80)).toBe(ct);
    table.invalidateTemplate(ct);
    expect(table.lookupTemplate(6, ip('10.1.1.10'), ip('10.0.0.100'), 80)).toBeUndefined();
    expect([ct.vport, ct.dport, ct.cport]).toEqual([65535, 65535, 0]);
  });

  it('sets OVERLOAD when totalconns reaches -x and clears it below the lower value (3/4 of -x by default)', () => {
    const { table, dest, conn } = setup(4);
    const cps = [0, 1, 2, 3].map((i) => table.create(conn(30000 + i)));
    expect(dest.overloaded).toBe(true);
    table.expireNow(cps[0]); // 4 → 3 (the lower value is 3): still overloaded
    expect(dest.overloaded).toBe(true);
    table.expireNow(cps[1]); // 3 → 2: below 3
    expect(dest.overloaded).toBe(false);
  });

  it('lists every linked entry once, in an order that depends only on what was done (hash-bucket order)', () => {
    const build = () => {
      const { table, conn } = setup();
      const cps = Array.from({ length: 40 }, (_, i) => table.create(conn(1000 + i)));
      table.expireNow(cps[7]);
      table.expireNow(cps[30]);
      return { table, cps };
    };
    const one = build();
    const two = build();
    const ports = (t: ConnectionTable) => [...t.entries()].map((cp) => cp.cport);
    expect(ports(one.table)).toEqual(ports(two.table));
    expect(ports(one.table).sort((a, b) => a - b)).toEqual(one.cps.filter((_, i) => i !== 7 && i !== 30).map((cp) => cp.cport));
    expect(one.table.size).toBe(38);
    expect(one.table.select((cp) => cp.cport % 2 === 0)).toEqual([...one.table.entries()].filter((cp) => cp.cport % 2 === 0));
  });

  it('expires an entry at the first 4 ms tick at or after its deadline (jiffies, HZ=250)', () => {
    const { sim, table, conn, expired } = setup();
    sim.runUntil(1_000_000); // 1 ms: between ticks
    const cp = table.create(conn(20000));
    cp.timeout = 10 * SECOND;
    table.put(cp);
    expect(cp.expires).toBe(10 * SECOND + 4 * MS);
    sim.runUntil(10 * SECOND + 3 * MS);
    expect(expired).toEqual([]);
    sim.runUntil(10 * SECOND + 4 * MS);
    expect(expired).toEqual([cp]);
  });

  it('moves a timer earlier when the timeout shrinks, and keeps it when the deadline moves later', () => {
    const { sim, table, conn, expired } = setup();
    const cp = table.create(conn(20000));
    cp.timeout = 100 * SECOND;
    table.put(cp);
    sim.runUntil(1 * SECOND);
    cp.timeout = 2 * SECOND; // e.g. ESTABLISHED → CLOSE: the deadline comes forward to 3 s
    table.put(cp);
    sim.runUntil(3 * SECOND - 4 * MS);
    expect(expired).toEqual([]);
    sim.runUntil(3 * SECOND);
    expect(expired).toEqual([cp]);
    expect(cp.linked).toBe(false);
  });

  it('needs one simulator event per tick with expiries, not one per entry', () => {
    const { sim, table, conn, expired } = setup();
    for (let i = 0; i < 500; i++) table.create(conn(10000 + i));
    expect(sim.pending).toBe(1);
    sim.runUntil(3 * SECOND);
    expect(expired.length).toBe(500);
    expect(table.size).toBe(0);
  });

  it('expires entries due at the same tick in the order they were armed for it', () => {
    const { sim, table, conn, expired } = setup();
    const a = table.create(conn(1));
    sim.runUntil(1 * MS);
    const b = table.create(conn(2)); // due at 3.001 s → the 3.004 s tick
    sim.runUntil(2 * MS);
    const c = table.create(conn(3)); // due at 3.002 s → the same tick
    sim.runUntil(3 * SECOND + 4 * MS);
    expect(expired).toEqual([a, b, c]);
  });

  it('finds the newest of several entries with the same key first, and the older one once the newer is gone, before and after the table grows', () => {
    const { table, conn } = setup();
    const older = table.create(conn(20000));
    const newer = table.create(conn(20000, { dport: 8081 }));
    expect(table.lookupIn(6, ip('10.1.1.10'), 20000, ip('10.0.0.100'), 80)).toBe(newer);
    // Thousands more entries make the table double several times.
    const many = Array.from({ length: 5000 }, (_, i) => table.create(conn(30000 + i, { caddr: ip('10.1.2.1') + (i >> 8) })));
    expect(table.lookupIn(6, ip('10.1.1.10'), 20000, ip('10.0.0.100'), 80)).toBe(newer);
    expect(table.lookupOut(6, ip('10.2.1.2'), 8080, ip('10.1.1.10'), 20000)).toBe(older);
    for (const cp of many) {
      expect(table.lookupIn(6, cp.caddr, cp.cport, ip('10.0.0.100'), 80)).toBe(cp);
      expect(table.lookupOut(6, ip('10.2.1.2'), 8080, cp.caddr, cp.cport)).toBe(cp);
    }
    table.expireNow(newer);
    expect(table.lookupIn(6, ip('10.1.1.10'), 20000, ip('10.0.0.100'), 80)).toBe(older);
    expect(table.size).toBe(5001);
  });

  it('keeps addresses at or above 2^31 unsigned, and matches them', () => {
    const { table, conn } = setup();
    const cp = table.create(conn(40000, { caddr: ip('203.0.113.7'), vaddr: ip('198.51.100.1'), daddr: ip('192.168.1.2') }));
    expect([cp.caddr, cp.vaddr, cp.daddr]).toEqual([ip('203.0.113.7'), ip('198.51.100.1'), ip('192.168.1.2')]);
    expect(table.lookupIn(6, ip('203.0.113.7'), 40000, ip('198.51.100.1'), 80)).toBe(cp);
    expect(table.lookupOut(6, ip('192.168.1.2'), 8080, ip('203.0.113.7'), 40000)).toBe(cp);
  });

  it('lists a one-packet entry but never finds it by a packet, and drops it when put', () => {
    const { table, conn, dest, expired } = setup();
    const cp = table.create(conn(5353, { protocol: 17, onePacket: true }));
    expect([...table.entries()]).toEqual([cp]);
    expect(table.lookupIn(17, ip('10.1.1.10'), 5353, ip('10.0.0.100'), 80)).toBeUndefined();
    expect(table.lookupOut(17, ip('10.2.1.2'), 8080, ip('10.1.1.10'), 5353)).toBeUndefined();
    expect(dest.totalConns).toBe(1);
    table.put(cp);
    expect(expired).toEqual([cp]);
    expect([table.size, dest.totalConns]).toEqual([0, 0]);
  });

  it('keeps protocol, method, template and state apart in the packed flags', () => {
    const { table, conn } = setup();
    const cp = table.create(conn(20002, { protocol: 17, fwd: 'tunnel', dport: 80 }));
    expect([cp.protocol, cp.fwd, cp.template, cp.onePacket, cp.noOutput, cp.inactive, cp.linked, cp.state]).toEqual([17, 'tunnel', false, false, true, true, true, 0]);
    cp.state = 11;
    cp.noOutput = false;
    cp.inactive = false;
    expect([cp.protocol, cp.fwd, cp.noOutput, cp.inactive, cp.state]).toEqual([17, 'tunnel', false, false, 11]);
    const ct = table.create(conn(0, { protocol: 0, template: true, fwd: 'route', vaddr: 1 }));
    ct.state |= 1;
    expect([ct.protocol, ct.fwd, ct.template, ct.state]).toEqual([0, 'route', true, 1]);
    expect(table.lookupTemplate(0, ip('10.1.1.10'), 1, 80)).toBe(ct);
  });
});
