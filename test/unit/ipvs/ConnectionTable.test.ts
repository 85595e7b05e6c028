import { describe, expect, it } from 'vitest';
import { Connection } from '../../../src/ipvs/Connection.ts';
import { ConnectionTable, type NewConnection } from '../../../src/ipvs/ConnectionTable.ts';
import { Destination } from '../../../src/ipvs/Destination.ts';
import { VirtualService } from '../../../src/ipvs/VirtualService.ts';
import type { Scheduler } from '../../../src/ipvs/schedulers/Scheduler.ts';
import { SECOND, Simulator } from '../../../src/sim/index.ts';
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

  it('lists entries in creation order', () => {
    const { table, conn } = setup();
    const a = table.create(conn(1));
    const b = table.create(conn(2));
    const c = table.create(conn(3));
    table.expireNow(b);
    expect([...table.entries()]).toEqual([a, c]);
  });
});
