import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/index.ts';
import { fwmHash, svcHash, type DestConfig, type ServiceConfig } from '../../../src/ipvs/ServiceTable.ts';
import type { ServiceKey } from '../../../src/ipvs/VirtualService.ts';
import { ip, makeControl } from './controlFakes.ts';

const VIP = ip('10.0.0.100');
const web: ServiceKey = { kind: 'addr', protocol: 'tcp', address: VIP, port: 80 };

function svcCfg(key: ServiceKey, scheduler = 'rr', more: Partial<ServiceConfig> = {}): ServiceConfig {
  return { key, scheduler, persistent: false, timeout: 0, netmask: 0xffffffff, onePacket: false, schedFlags: 0, ...more };
}

function dest(addr: string, more: Partial<DestConfig> = {}): DestConfig {
  return { address: ip(addr), port: 80, fwd: 'masq', weight: 1, uThreshold: 0, lThreshold: 0, ...more };
}

function setup() {
  const f = makeControl();
  const table = f.control.table;
  const svc = table.addService(svcCfg(web));
  if (typeof svc === 'string') throw new Error(svc);
  return { ...f, table, svc };
}

describe('ServiceTable: services', () => {
  it('answers EEXIST for a second add with the same key, before looking at the scheduler name', () => {
    const { table } = setup();
    expect(table.addService(svcCfg(web, 'no-such'))).toBe('EEXIST');
    expect(table.addService(svcCfg({ ...web, port: 81 }, 'no-such'))).toBe('ENOENT');
    expect(table.lookup({ ...web, port: 81 })).toBeUndefined();
  });

  it('binds a fresh scheduler instance per service and reports ESRCH/ENOENT on edit', () => {
    const { table, calls } = setup();
    expect(calls.filter((c) => c.hook === 'init')).toHaveLength(1);
    expect(table.editService(svcCfg({ ...web, port: 8080 }))).toBe('ESRCH');
    expect(table.editService(svcCfg(web, 'bogus'))).toBe('ENOENT');
    // A refused edit changes nothing.
    expect(table.lookup(web)!.scheduler.name).toBe('rr');
  });

  it('-E with the same scheduler name keeps the instance; a different name runs done_service then a new init', () => {
    const { table, calls, svc } = setup();
    const first = svc.scheduler;
    expect(table.editService(svcCfg(web, 'rr', { persistent: true, timeout: 300 }))).toBeUndefined();
    expect(svc.scheduler).toBe(first);
    expect(svc.persistent).toBe(true);
    expect(svc.timeout).toBe(300);
    table.addDest(svc, dest('10.2.1.2'));
    expect(table.editService(svcCfg(web, 'wrr'))).toBeUndefined();
    expect(svc.scheduler).not.toBe(first);
    expect(svc.scheduler.name).toBe('wrr');
    const hooks = calls.map((c) => `${c.instance}:${c.hook}`);
    expect(hooks).toEqual(['1:init', '1:addDest', '1:doneService', '2:init']);
    // init_service of the new scheduler sees the current destination list.
    expect(calls[3].list.map((d) => d.address)).toEqual([ip('10.2.1.2')]);
    // -E is a complete definition: persistence not given again is gone.
    expect(svc.persistent).toBe(false);
  });

  it('binds no scheduler for `none`, which schedules nothing', () => {
    const { table } = makeControl().control;
    const s = table.addService(svcCfg(web, 'none'));
    if (typeof s === 'string') throw new Error(s);
    table.addDest(s, dest('10.2.1.2'));
    expect(s.scheduler.name).toBe('none');
    expect(s.scheduler.schedule(s, { protocol: 6, saddr: 1, sport: 1, daddr: VIP, dport: 80 })).toBeNull();
  });

  it('lists services in hash-bucket order, newest first within a bucket, fwmark table last', () => {
    const { table } = makeControl().control;
    const a: ServiceKey = { kind: 'addr', protocol: 'tcp', address: ip('10.0.0.1'), port: 80 };
    const b: ServiceKey = { kind: 'addr', protocol: 'tcp', address: ip('10.0.0.2'), port: 80 };
    const fw: ServiceKey = { kind: 'fwmark', mark: 1 };
    // Same bucket as `a`: change the address and the port so the hash stays the same.
    const c: ServiceKey = { kind: 'addr', protocol: 'tcp', address: ip('10.0.0.1') ^ 0x50 ^ 0x51, port: 81 };
    expect(svcHash(6, c.kind === 'addr' ? c.address : 0, 81)).toBe(svcHash(6, ip('10.0.0.1'), 80));
    for (const k of [fw, b, a, c]) table.addService(svcCfg(k));
    const order = table.services().map((s) => s.key);
    const bucket = (k: ServiceKey) => (k.kind === 'fwmark' ? 256 + fwmHash(k.mark) : svcHash(6, k.address, k.port));
    expect(order.map(bucket)).toEqual([...order.map(bucket)].sort((x, y) => x - y));
    expect(order.indexOf(c)).toBe(order.indexOf(a) - 1);
    expect(order[order.length - 1]).toBe(fw);
  });

  it('deleting a service unbinds its scheduler first, then unlinks every destination without del_dest', () => {
    const { table, calls, svc, dataPlane } = setup();
    const d1 = table.addDest(svc, dest('10.2.1.2'));
    const d2 = table.addDest(svc, dest('10.2.2.2'));
    expect(table.delService(web)).toBeUndefined();
    expect(table.delService(web)).toBe('ESRCH');
    expect(calls.map((c) => c.hook)).toEqual(['init', 'addDest', 'addDest', 'doneService']);
    expect(dataPlane.unlinked).toEqual([d2, d1]);
    expect(table.trash()).toEqual([d1, d2]);
    for (const d of [d1, d2]) if (typeof d !== 'string') expect(d.available).toBe(false);
  });

  it('flush empties both tables and keeps the port-0/port-21 counters balanced', () => {
    const { table } = makeControl().control;
    table.addService(svcCfg({ kind: 'addr', protocol: 'tcp', address: VIP, port: 21 }));
    table.addService(svcCfg({ kind: 'addr', protocol: 'udp', address: VIP, port: 0 }, 'rr', { persistent: true, timeout: 60 }));
    table.addService(svcCfg({ kind: 'fwmark', mark: 3 }));
    expect(table.ftpServices).toBe(1);
    // An fwmark service has port 0, so the kernel counts it with the port-0 services.
    expect(table.nullServices).toBe(2);
    table.flush();
    expect(table.services()).toEqual([]);
    expect(table.ftpServices).toBe(0);
    expect(table.nullServices).toBe(0);
  });
});

describe('ServiceTable: find (ip_vs_service_find)', () => {
  it('tries the fwmark table first when the packet carries a mark', () => {
    const { table } = makeControl().control;
    const byAddr = table.addService(svcCfg(web));
    const byMark = table.addService(svcCfg({ kind: 'fwmark', mark: 5 }));
    expect(table.find(6, VIP, 80, 5)).toBe(byMark);
    expect(table.find(6, VIP, 80, 6)).toBe(byAddr);
    expect(table.find(6, VIP, 80, 0)).toBe(byAddr);
    expect(table.find(17, VIP, 80, 0)).toBeUndefined();
  });

  it('sends TCP to the FTP service for port 20 and unprivileged ports only while a port-21 service exists', () => {
    const { table } = makeControl().control;
    const ftp = table.addService(svcCfg({ kind: 'addr', protocol: 'tcp', address: VIP, port: 21 }));
    expect(table.find(6, VIP, 20, 0)).toBe(ftp);
    expect(table.find(6, VIP, 40000, 0)).toBe(ftp);
    expect(table.find(6, VIP, 1024, 0)).toBe(ftp);
    expect(table.find(6, VIP, 1023, 0)).toBeUndefined();
    expect(table.find(17, VIP, 40000, 0)).toBeUndefined();
    expect(table.find(6, ip('10.0.0.101'), 40000, 0)).toBeUndefined();
    table.delService({ kind: 'addr', protocol: 'tcp', address: VIP, port: 21 });
    expect(table.find(6, VIP, 20, 0)).toBeUndefined();
  });

  it('honours net.ipv4.ip_unprivileged_port_start for the FTP rule', () => {
    const { control } = makeControl({ sysctl: (k) => (k === 'net.ipv4.ip_unprivileged_port_start' ? 500 : undefined) });
    const ftp = control.table.addService(svcCfg({ kind: 'addr', protocol: 'tcp', address: VIP, port: 21 }));
    expect(control.find(6, VIP, 600, 0)).toBe(ftp);
    expect(control.find(6, VIP, 499, 0)).toBeUndefined();
  });

  it('falls back to the port-0 service of the address, exact matches first', () => {
    const { table } = makeControl().control;
    const all = table.addService(svcCfg({ kind: 'addr', protocol: 'tcp', address: VIP, port: 0 }, 'rr', { persistent: true, timeout: 300 }));
    const exact = table.addService(svcCfg(web));
    expect(table.find(6, VIP, 80, 0)).toBe(exact);
    expect(table.find(6, VIP, 443, 0)).toBe(all);
    expect(table.find(17, VIP, 443, 0)).toBeUndefined();
  });
});

describe('ServiceTable: destinations', () => {
  it('puts a new destination at the head of the list before add_dest runs', () => {
    const { table, svc, calls } = setup();
    table.addDest(svc, dest('10.2.1.2'));
    table.addDest(svc, dest('10.2.2.2'));
    table.addDest(svc, dest('10.2.3.2'));
    expect(svc.destinations.map((d) => d.address)).toEqual([ip('10.2.3.2'), ip('10.2.2.2'), ip('10.2.1.2')]);
    const adds = calls.filter((c) => c.hook === 'addDest');
    expect(adds.map((c) => c.list[0])).toEqual(adds.map((c) => c.dest));
  });

  it('answers EEXIST, ERANGE, EINVAL and ENOENT as ip_vs_add_dest / ip_vs_edit_dest / ip_vs_del_dest do', () => {
    const { table, svc } = setup();
    expect(typeof table.addDest(svc, dest('10.2.1.2'))).toBe('object');
    expect(table.addDest(svc, dest('10.2.1.2', { weight: 5 }))).toBe('EEXIST');
    expect(table.addDest(svc, dest('10.2.1.3', { weight: -1 }))).toBe('ERANGE');
    expect(table.addDest(svc, dest('10.2.1.3', { uThreshold: 5, lThreshold: 6 }))).toBe('ERANGE');
    expect(table.addDest(svc, dest('10.2.1.3', { uThreshold: 2 ** 31, lThreshold: 0 }))).toBe('EINVAL');
    expect(table.addDest(svc, dest('224.0.0.5'))).toBe('EINVAL');
    expect(table.addDest(svc, dest('0.1.2.3'))).toBe('EINVAL');
    expect(table.addDest(svc, dest('255.255.255.255'))).toBe('EINVAL');
    expect(table.editDest(svc, dest('10.2.9.9'))).toBe('ENOENT');
    expect(table.editDest(svc, dest('10.2.1.2', { weight: -3 }))).toBe('ERANGE');
    expect(table.delDest(svc, ip('10.2.9.9'), 80)).toBe('ENOENT');
    // The same address on another port is another destination.
    expect(typeof table.addDest(svc, dest('10.2.1.2', { port: 8080 }))).toBe('object');
    expect(svc.destinations).toHaveLength(2);
  });

  it('edit mutates in place, keeps the list position and calls upd_dest', () => {
    const { table, svc, calls } = setup();
    const a = table.addDest(svc, dest('10.2.1.2'));
    table.addDest(svc, dest('10.2.2.2'));
    const e = table.editDest(svc, dest('10.2.1.2', { weight: 7, fwd: 'route' }));
    expect(e).toBe(a);
    expect(svc.destinations[1]).toBe(a);
    expect(svc.destinations[1].weight).toBe(7);
    expect(svc.destinations[1].fwd).toBe('route');
    expect(calls[calls.length - 1].hook).toBe('updDest');
    expect(calls[calls.length - 1].dest).toBe(a);
  });

  it('keeps lastWeight at the latest non-zero weight (set on every add)', () => {
    const { table, svc } = setup();
    const d = table.addDest(svc, dest('10.2.1.2', { weight: 0 }));
    if (typeof d === 'string') throw new Error(d);
    expect(d.lastWeight).toBe(0);
    table.editDest(svc, dest('10.2.1.2', { weight: 4 }));
    table.editDest(svc, dest('10.2.1.2', { weight: 0 }));
    expect(d.weight).toBe(0);
    expect(d.lastWeight).toBe(4);
    table.delDest(svc, d.address, 80);
    table.addDest(svc, dest('10.2.1.2', { weight: 0 }));
    expect(d.lastWeight).toBe(0);
  });

  it('re-evaluates OVERLOAD when the thresholds change (mode 0), and only then', () => {
    const { table, svc } = setup();
    const d = table.addDest(svc, dest('10.2.1.2', { uThreshold: 10, lThreshold: 0 }));
    if (typeof d === 'string') throw new Error(d);
    expect(d.lThresholdVal).toBe(8);
    d.totalConns = 9;
    d.overloaded = true;
    // Same thresholds: nothing re-evaluated.
    table.editDest(svc, dest('10.2.1.2', { uThreshold: 10 }));
    expect(d.overloaded).toBe(true);
    // A new upper of 20 has the lower value 15; 9 connections are below it, so the flag clears.
    table.editDest(svc, dest('10.2.1.2', { uThreshold: 20 }));
    expect(d.overloaded).toBe(false);
    // Lowering the upper threshold to the current count sets the flag at once in the 6.1 kernel.
    table.editDest(svc, dest('10.2.1.2', { uThreshold: 9, lThreshold: 4 }));
    expect(d.overloaded).toBe(true);
    // Between lower (4) and upper (12): unchanged.
    table.editDest(svc, dest('10.2.1.2', { uThreshold: 12, lThreshold: 4 }));
    expect(d.overloaded).toBe(true);
    // No upper threshold: cleared.
    table.editDest(svc, dest('10.2.1.2', { uThreshold: 0, lThreshold: 0 }));
    expect(d.overloaded).toBe(false);
  });

  it('delete clears AVAILABLE, runs del_dest after the unlink, trashes the object and tells the data path', () => {
    const { table, svc, calls, dataPlane } = setup();
    const d = table.addDest(svc, dest('10.2.1.2'));
    if (typeof d === 'string') throw new Error(d);
    expect(table.delDest(svc, d.address, 80)).toBe(d);
    expect(d.available).toBe(false);
    const del = calls[calls.length - 1];
    expect(del.hook).toBe('delDest');
    expect(del.list).toEqual([]);
    expect(table.trash()).toEqual([d]);
    expect(dataPlane.unlinked).toEqual([d]);
  });

  it('re-adding from the trash reuses the object, its counters and its stats', () => {
    const { table, svc } = setup();
    const d = table.addDest(svc, dest('10.2.1.2'));
    if (typeof d === 'string') throw new Error(d);
    d.activeConns = 2;
    d.totalConns = 5;
    d.stats.kstats.conns = 42;
    table.delDest(svc, d.address, 80);
    const again = table.addDest(svc, dest('10.2.1.2', { weight: 3, fwd: 'route' }));
    expect(again).toBe(d);
    expect(d.available).toBe(true);
    expect(d.weight).toBe(3);
    expect(d.totalConns).toBe(5);
    expect(d.stats.kstats.conns - d.stats.kstats0.conns).toBe(42);
    expect(table.trash()).toEqual([]);
    expect(svc.destinations[0]).toBe(d);
  });

  it('a trashed destination comes back into a new service object with the same key, counters shown from 0', () => {
    const { table, svc } = setup();
    const d = table.addDest(svc, dest('10.2.1.2'));
    if (typeof d === 'string') throw new Error(d);
    d.stats.kstats.conns = 42;
    table.delService(web);
    const svc2 = table.addService(svcCfg(web, 'wlc'));
    if (typeof svc2 === 'string') throw new Error(svc2);
    // Another key (port 81) does not take it.
    const other = table.addService(svcCfg({ ...web, port: 81 }));
    if (typeof other === 'string') throw new Error(other);
    expect(table.addDest(other, dest('10.2.1.2'))).not.toBe(d);
    expect(table.addDest(svc2, dest('10.2.1.2'))).toBe(d);
    expect(d.service).toBe(svc2);
    expect(d.stats.kstats.conns - d.stats.kstats0.conns).toBe(0);
  });

  it('frees an unreferenced trashed destination after 60 s to stamp it idle plus 120 s idle', () => {
    const { table, svc, sim } = setup();
    const d = table.addDest(svc, dest('10.2.1.2'));
    if (typeof d === 'string') throw new Error(d);
    d.totalConns = 1;
    table.delDest(svc, d.address, 80);
    sim.runUntil(200 * SECOND);
    // Still referenced by a connection: kept.
    expect(table.trash()).toEqual([d]);
    d.totalConns = 0;
    // The check runs every 60 s (at 240 s it is stamped idle, at 360 s it has been idle 120 s).
    sim.runUntil(359 * SECOND);
    expect(table.trash()).toEqual([d]);
    sim.runUntil(360 * SECOND);
    expect(table.trash()).toEqual([]);
    const fresh = table.addDest(svc, dest('10.2.1.2'));
    expect(fresh).not.toBe(d);
  });

  it('keeps NAT destinations in the real-server table for the reply path, not DR ones', () => {
    const { table, svc } = setup();
    const nat = table.addDest(svc, dest('10.2.1.2', { port: 8080 }));
    table.addDest(svc, dest('10.2.2.2', { fwd: 'route' }));
    expect(table.findRealService(6, ip('10.2.1.2'), 8080)).toBe(nat);
    expect(table.findRealService(17, ip('10.2.1.2'), 8080)).toBeUndefined();
    expect(table.findRealService(6, ip('10.2.2.2'), 80)).toBeUndefined();
    table.editDest(svc, dest('10.2.1.2', { port: 8080, fwd: 'route' }));
    expect(table.findRealService(6, ip('10.2.1.2'), 8080)).toBeUndefined();
    table.editDest(svc, dest('10.2.1.2', { port: 8080, fwd: 'masq' }));
    table.delDest(svc, ip('10.2.1.2'), 8080);
    expect(table.findRealService(6, ip('10.2.1.2'), 8080)).toBeUndefined();
  });
});
