import type { Host } from '../../../net/index.ts';
import { serviceKeyText, type DestSpec, type IpvsControl, type ServiceKey, type ServiceSpec } from '../../../ipvs/IpvsControl.ts';
import { formatIpv4, type Ipv4Address } from '../../../wire/index.ts';
import type { HealthEvent } from '../../../trace/index.ts';

/**
 * One virtual service a health-checking daemon manages, changed only through IpvsControl — the calls
 * `ipvsadm -A/-E/-a/-e/-d` make, and what keepalived and ldirectord send over netlink. Each change answers the
 * words a `health` trace event carries as its `action` (`added weight 3`, `weight 0`, `removed`, or the errno).
 */
export class ManagedService {
  readonly text: string;

  constructor(
    private readonly host: Host,
    private readonly ipvs: IpvsControl,
    readonly daemon: string,
    readonly key: ServiceKey,
  ) {
    this.text = serviceKeyText(key);
  }

  /** ipvsadm -A, or -E when the service exists (ldirectord's ld_start, keepalived's init_service_vs). */
  ensure(spec: Omit<ServiceSpec, 'key'>): void {
    const full = { ...spec, key: this.key };
    if (this.ipvs.service(this.key)) this.ipvs.editService(full);
    else this.ipvs.addService(full);
  }

  /** ipvsadm -D (cleanstop / keepalived's exit). */
  remove(): void {
    this.ipvs.delService(this.key);
  }

  has(address: Ipv4Address, port: number): boolean {
    return this.weightOf(address, port) !== undefined;
  }

  weightOf(address: Ipv4Address, port: number): number | undefined {
    return this.ipvs.service(this.key)?.destinations.find((d) => d.address === address && d.port === port)?.weight;
  }

  add(d: DestSpec): string {
    const err = this.ipvs.addDest(this.key, d);
    return err ?? `added weight ${d.weight}`;
  }

  setWeight(d: DestSpec, weight: number): string {
    const err = this.ipvs.editDest(this.key, { ...d, weight });
    return err ?? `weight ${weight}`;
  }

  delete(address: Ipv4Address, port: number): string {
    const err = this.ipvs.delDest(this.key, address, port);
    return err ?? 'removed';
  }

  event(e: Omit<HealthEvent, 't' | 'seq' | 'kind' | 'host' | 'daemon' | 'service'>): void {
    const t = this.host.ctx.tracer;
    if (t.enabled) t.emit({ kind: 'health', host: this.host.name, daemon: this.daemon, service: this.text, server: e.server, event: e.event, check: e.check, action: e.action, detail: e.detail });
  }
}

export function serverText(address: Ipv4Address, port: number): string {
  return `${formatIpv4(address)}:${port}`;
}
