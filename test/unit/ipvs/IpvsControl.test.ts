import { describe, expect, it } from 'vitest';
import { SECOND } from '../../../src/sim/index.ts';
import { IPVS_CONN_TAB_SIZE, IPVS_VERSION_CODE, type ServiceKey } from '../../../src/ipvs/IpvsControl.ts';
import { ip, makeControl } from './controlFakes.ts';

const web: ServiceKey = { kind: 'addr', protocol: 'tcp', address: ip('10.0.0.100'), port: 80 };
const dns: ServiceKey = { kind: 'addr', protocol: 'udp', address: ip('10.0.0.100'), port: 53 };

describe('IpvsControl', () => {
  it('answers errno strings for refused requests and undefined on success', () => {
    const { control } = makeControl();
    expect(control.addService({ key: web, scheduler: 'rr' })).toBeUndefined();
    expect(control.addService({ key: web, scheduler: 'rr' })).toBe('EEXIST');
    expect(control.addService({ key: dns, scheduler: 'nope' })).toBe('ENOENT');
    expect(control.addService({ key: dns, scheduler: 'rr', pe: 'sip' })).toBe('ENOENT');
    expect(control.editService({ key: dns, scheduler: 'rr' })).toBe('ESRCH');
    expect(control.delService(dns)).toBe('ESRCH');
    expect(control.addDest(dns, { address: ip('10.2.1.2'), port: 53, fwd: 'masq', weight: 1 })).toBe('ESRCH');
    expect(control.editDest(dns, { address: ip('10.2.1.2'), port: 53, fwd: 'masq', weight: 1 })).toBe('ESRCH');
    expect(control.delDest(dns, ip('10.2.1.2'), 53)).toBe('ESRCH');
    expect(control.addDest(web, { address: ip('10.2.1.2'), port: 80, fwd: 'masq', weight: 1 })).toBeUndefined();
    expect(control.addDest(web, { address: ip('10.2.1.2'), port: 80, fwd: 'masq', weight: 1 })).toBe('EEXIST');
    expect(control.editDest(web, { address: ip('10.2.1.3'), port: 80, fwd: 'masq', weight: 1 })).toBe('ENOENT');
    expect(control.addDest(web, { address: ip('10.2.1.3'), port: 80, fwd: 'masq', weight: 1, uThreshold: 1, lThreshold: 2 })).toBe('ERANGE');
    expect(control.zero(dns)).toBe('ESRCH');
    expect(control.setTimeouts({ tcp: -1, tcpfin: 0, udp: 0 })).toBe('EINVAL');
    expect(control.setTimeouts({ tcp: 8589935, tcpfin: 0, udp: 0 })).toBe('EINVAL');
  });

  it('lists services in kernel order and destinations in list order (newest first)', () => {
    const { control } = makeControl();
    control.addService({ key: web, scheduler: 'wrr', persistent: true, timeout: 300, netmask: 0xffffff00 });
    control.addService({ key: { kind: 'fwmark', mark: 9 }, scheduler: 'sh', schedFlags: 0x18 });
    control.addDest(web, { address: ip('10.2.1.2'), port: 80, fwd: 'masq', weight: 4 });
    control.addDest(web, { address: ip('10.2.2.2'), port: 8080, fwd: 'masq', weight: 3, uThreshold: 10, lThreshold: 5 });
    const [s, f] = control.services();
    expect(s.key).toBe(web);
    expect(f.key).toEqual({ kind: 'fwmark', mark: 9 });
    expect(s.scheduler).toBe('wrr');
    expect(s.persistent).toBe(true);
    expect(s.timeout).toBe(300);
    expect(s.netmask).toBe(0xffffff00);
    expect(f.schedFlags).toBe(0x18);
    expect(s.destinations.map((d) => [d.address, d.port, d.weight, d.uThreshold, d.lThreshold])).toEqual([
      [ip('10.2.2.2'), 8080, 3, 10, 5],
      [ip('10.2.1.2'), 80, 4, 0, 0],
    ]);
    expect(control.service(dns)).toBeUndefined();
    expect(control.info()).toEqual({ version: IPVS_VERSION_CODE, connTableSize: IPVS_CONN_TAB_SIZE, numServices: 2 });
  });

  it('edit takes the complete definition: left-out settings return to their defaults', () => {
    const { control } = makeControl();
    control.addService({ key: dns, scheduler: 'rr', persistent: true, timeout: 60, onePacket: true });
    control.addDest(dns, { address: ip('10.2.1.2'), port: 53, fwd: 'masq', weight: 2, uThreshold: 9 });
    expect(control.editService({ key: dns, scheduler: 'rr' })).toBeUndefined();
    expect(control.editDest(dns, { address: ip('10.2.1.2'), port: 53, fwd: 'route', weight: 1 })).toBeUndefined();
    const s = control.service(dns)!;
    expect([s.persistent, s.timeout, s.onePacket]).toEqual([false, 0, false]);
    expect([s.destinations[0].fwd, s.destinations[0].weight, s.destinations[0].uThreshold]).toEqual(['route', 1, 0]);
  });

  it('shows counters as the estimator copied them and zeroes one service with its destinations', () => {
    const { control, sim } = makeControl();
    control.addService({ key: web, scheduler: 'rr' });
    control.addService({ key: dns, scheduler: 'rr' });
    control.addDest(web, { address: ip('10.2.1.2'), port: 80, fwd: 'masq', weight: 1 });
    const svc = control.table.lookup(web)!;
    const other = control.table.lookup(dns)!;
    const d = svc.destinations[0];
    svc.stats.conns = 3;
    d.stats.conns = 3;
    other.stats.inPkts = 11;
    expect(control.service(web)!.stats.conns).toBe(0);
    sim.runUntil(2 * SECOND);
    expect(control.service(web)!.stats.conns).toBe(3);
    expect(control.service(web)!.destinations[0].stats.conns).toBe(3);
    expect(control.service(web)!.stats.cps).toBe(0);
    expect(control.zero(web)).toBeUndefined();
    expect(control.service(web)!.stats.conns).toBe(0);
    expect(control.service(web)!.destinations[0].stats.conns).toBe(0);
    expect(control.service(dns)!.stats.inPkts).toBe(11);
    expect(control.zero()).toBeUndefined();
    expect(control.service(dns)!.stats.inPkts).toBe(0);
    svc.stats.conns = 5;
    sim.runUntil(4 * SECOND);
    expect(control.service(web)!.stats.conns).toBe(2);
  });

  it('passes timeouts and the connection table through the data plane', () => {
    const { control, dataPlane } = makeControl();
    expect(control.setTimeouts({ tcp: 600, tcpfin: 0, udp: 30 })).toBeUndefined();
    expect(control.timeouts()).toEqual({ tcp: 600, tcpfin: 120, udp: 30 });
    dataPlane.conns = [{ protocol: 'TCP', caddr: 1, cport: 2, vaddr: 3, vport: 4, daddr: 5, dport: 6, state: 'ESTABLISHED', expiresIn: 7, template: false, fwd: 'masq' }];
    expect(control.connections()).toBe(dataPlane.conns);
  });

  it('finds services for the data path with the kernel lookup', () => {
    const { control } = makeControl();
    control.addService({ key: web, scheduler: 'rr' });
    expect(control.find(6, ip('10.0.0.100'), 80, 0)?.key).toBe(web);
    expect(control.find(6, ip('10.0.0.100'), 81, 0)).toBeUndefined();
  });
});
