import { CONF_SYSCTLS, GLOBAL_SYSCTLS, NEIGH_SYSCTLS, type Combine, type ConfName } from './sysctlTable.ts';

export type SysctlError = { kind: 'unknown-key'; key: string } | { kind: 'invalid-value'; key: string; value: string };

interface Entry {
  min: number;
  max: number;
  value: number;
}

const CONF_BY_NAME = new Map<string, (typeof CONF_SYSCTLS)[number]>(CONF_SYSCTLS.map((s) => [s.name, s]));

/** A host-wide sysctl's current value (see Sysctls.globalValue). */
export interface SysctlValue {
  readonly value: number;
}

/** Every conf knob of one device as the kernel reads it (combined with `all`): what `Sysctls.confOf` answers. */
export type DeviceConf = Readonly<Record<ConfName, number>>;
const NEIGH_BY_NAME = new Map(NEIGH_SYSCTLS.map((s) => [s.name, s]));

/**
 * A host's sysctl tree for net.ipv4: host-wide values, `conf/{all,default,IFACE}` and `neigh/{default,IFACE}`.
 *
 * Values are stored per level and combined at read time exactly as the kernel's macros do (sysctlTable.ts), so
 * `conf(dev, 'arp_ignore')` is max(all, dev) while `conf(dev, 'send_redirects')` is all OR dev. Writing a
 * `default` value copies it to every interface that was never written explicitly (devinet_copy_dflt_conf);
 * writing ip_forward sets every interface's `forwarding` (inet_forward_change).
 */
export class Sysctls {
  private readonly globals = new Map<string, Entry>();
  private readonly conf = new Map<string, Map<string, number>>(); // level ('all'|'default'|iface) → name → value
  private readonly confWritten = new Map<string, Set<string>>(); // iface → names written explicitly
  private readonly neigh = new Map<string, Map<string, number>>(); // 'default'|iface → name → value
  /**
   * Combined conf values already computed, per device: the packet path reads several knobs of the receiving
   * device for every packet. Any write clears it, so it never holds a value the tables would not give.
   */
  private readonly effective = new Map<string, DeviceConf>();
  private lastDev: string | undefined;
  private lastConf: DeviceConf | undefined;
  /** Told after each neigh write (the neighbour table's collector reads its thresholds lazily otherwise). */
  private readonly neighListeners: Array<() => void> = [];

  constructor() {
    for (const g of GLOBAL_SYSCTLS) this.globals.set(g.name, { min: g.min, max: g.max, value: g.def });
    this.conf.set('all', defaults());
    this.conf.set('default', defaults());
    this.neigh.set('default', neighDefaults());
  }

  /** Adds the per-interface subtrees, initialised from `default` (as a new net_device is). */
  addInterface(dev: string): void {
    if (this.conf.has(dev)) return;
    this.forget();
    this.conf.set(dev, new Map(this.conf.get('default')!));
    this.confWritten.set(dev, new Set());
    // A device's set is a copy of the default one without the table-wide knobs.
    this.neigh.set(dev, new Map([...this.neigh.get('default')!].filter(([name]) => !NEIGH_BY_NAME.get(name)!.tableWide)));
  }

  removeInterface(dev: string): void {
    this.forget();
    this.conf.delete(dev);
    this.confWritten.delete(dev);
    this.neigh.delete(dev);
  }

  /** `listener` runs after every successful write of a net.ipv4.neigh.* value. */
  onNeighChange(listener: () => void): void {
    this.neighListeners.push(listener);
  }

  /** Adds a host-wide sysctl defined by another subsystem (IPVS registers net.ipv4.vs.*). */
  register(name: string, def: number, min: number, max: number): void {
    if (!this.globals.has(name)) this.globals.set(name, { min, max, value: def });
  }

  /** Effective value of a conf knob on `dev`, combined with `all` as the kernel reads it. */
  confValue(dev: string, name: string): number {
    const v = this.confOf(dev)[name as ConfName];
    if (v === undefined) throw new Error(`unknown conf sysctl ${name}`);
    return v;
  }

  /**
   * Every conf knob of `dev`, combined with `all` (see confValue). The packet path reads its knobs as fields of
   * this object, one lookup per packet rather than one per knob; the object stays valid until the next write.
   */
  confOf(dev: string): DeviceConf {
    // Packets arrive on one device after another: remember the last one asked.
    if (this.lastDev === dev) return this.lastConf!;
    let c = this.effective.get(dev);
    if (c === undefined) {
      c = this.combinedConf(dev);
      this.effective.set(dev, c);
    }
    this.lastDev = dev;
    this.lastConf = c;
    return c;
  }

  private combinedConf(dev: string): DeviceConf {
    const own = this.conf.get(dev);
    const all = this.conf.get('all')!;
    const forwarding = own?.get('forwarding') ?? 0;
    // Built in table order, so every device's object has the same shape.
    const c: Partial<Record<ConfName, number>> = {};
    for (const spec of CONF_SYSCTLS) c[spec.name] = combine(spec.combine, all.get(spec.name)!, own?.get(spec.name) ?? spec.def, forwarding);
    return c as DeviceConf;
  }

  /** The raw value stored at one level, as `sysctl net.ipv4.conf.LEVEL.NAME` prints it. */
  confRaw(level: string, name: string): number | undefined {
    return this.conf.get(level)?.get(name);
  }

  neighValue(dev: string, name: string): number {
    const v = this.neigh.get(dev)?.get(name) ?? this.neigh.get('default')!.get(name);
    if (v === undefined) throw new Error(`unknown neigh sysctl ${name}`);
    return v;
  }

  global(name: string): number {
    return this.globalValue(name).value;
  }

  /**
   * A host-wide value as a live handle: its `value` always reads what `global(name)` would. For readers on the
   * packet path (IPVS reads several knobs for every packet), which look the name up once instead of per packet.
   */
  globalValue(name: string): SysctlValue {
    const e = this.globals.get(name);
    if (!e) throw new Error(`unknown sysctl ${name}`);
    return e;
  }

  /** Drops every combined value: called by each write. */
  private forget(): void {
    this.effective.clear();
    this.lastDev = undefined;
    this.lastConf = undefined;
  }

  /** Reads any key in dotted form; undefined when the key does not exist on this host. */
  get(key: string): number | undefined {
    const g = this.globals.get(key);
    if (g) return g.value;
    const c = parseConfKey(key);
    if (c) return this.conf.get(c.level)?.get(c.name);
    const n = parseNeighKey(key);
    if (n) return this.neigh.get(n.level)?.get(n.name);
    return undefined;
  }

  /** Writes a key in dotted form, with the kernel's side effects. */
  set(key: string, text: string): SysctlError | undefined {
    this.forget();
    const value = parseValue(text);
    const g = this.globals.get(key);
    if (g) {
      if (value === undefined || value < g.min || value > g.max) return { kind: 'invalid-value', key, value: text };
      g.value = value;
      if (key === 'net.ipv4.ip_forward') this.forwardChange(value);
      return undefined;
    }
    const c = parseConfKey(key);
    if (c && this.conf.has(c.level)) {
      const spec = CONF_BY_NAME.get(c.name)!;
      if (value === undefined || value < spec.min || value > spec.max) return { kind: 'invalid-value', key, value: text };
      if (c.level === 'all' && c.name === 'forwarding') {
        // conf/all/forwarding is the same knob as ip_forward.
        return this.set('net.ipv4.ip_forward', text);
      }
      this.conf.get(c.level)!.set(c.name, value);
      if (c.level === 'default') {
        for (const [dev, written] of this.confWritten) if (!written.has(c.name)) this.conf.get(dev)!.set(c.name, value);
      } else if (c.level !== 'all') {
        this.confWritten.get(c.level)!.add(c.name);
      }
      return undefined;
    }
    const n = parseNeighKey(key);
    if (n && this.neigh.get(n.level)?.has(n.name)) {
      const spec = NEIGH_BY_NAME.get(n.name)!;
      if (value === undefined || value < spec.min || value > spec.max) return { kind: 'invalid-value', key, value: text };
      this.neigh.get(n.level)!.set(n.name, value);
      for (const l of this.neighListeners) l();
      return undefined;
    }
    return { kind: 'unknown-key', key };
  }

  /** Every key with its value, sorted as `sysctl -a` lists them. */
  list(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [k, e] of this.globals) out.push([k, e.value]);
    for (const [level, m] of this.conf) for (const [n, v] of m) out.push([`net.ipv4.conf.${level}.${n}`, v]);
    for (const [level, m] of this.neigh) for (const [n, v] of m) out.push([`net.ipv4.neigh.${level}.${n}`, v]);
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out;
  }

  private forwardChange(on: number): void {
    // inet_forward_change (devinet.c): all/default/every device follow, and all/accept_redirects = !on.
    this.conf.get('all')!.set('forwarding', on);
    this.conf.get('default')!.set('forwarding', on);
    for (const [level, m] of this.conf) if (level !== 'all' && level !== 'default') m.set('forwarding', on);
    this.conf.get('all')!.set('accept_redirects', on ? 0 : 1);
  }
}

function defaults(): Map<string, number> {
  return new Map(CONF_SYSCTLS.map((s) => [s.name, s.def]));
}
function neighDefaults(): Map<string, number> {
  return new Map(NEIGH_SYSCTLS.map((s) => [s.name, s.def]));
}

function combine(how: Combine, all: number, own: number, forwarding: number): number {
  switch (how) {
    case 'max':
      return Math.max(all, own);
    case 'or':
      return all || own ? 1 : 0;
    case 'and':
      return all && own ? 1 : 0;
    case 'own':
      return own;
    case 'accept_redirects':
      // IN_DEV_RX_REDIRECTS: a forwarding device needs both, a host either.
      return forwarding ? (all && own ? 1 : 0) : all || own ? 1 : 0;
  }
}

function parseValue(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

function parseConfKey(key: string): { level: string; name: string } | undefined {
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(key);
  if (!m || !CONF_BY_NAME.has(m[2])) return undefined;
  return { level: m[1], name: m[2] };
}

function parseNeighKey(key: string): { level: string; name: string } | undefined {
  const m = /^net\.ipv4\.neigh\.([^.]+)\.([a-z_0-9]+)$/.exec(key);
  if (!m || !NEIGH_BY_NAME.has(m[2])) return undefined;
  return { level: m[1], name: m[2] };
}
