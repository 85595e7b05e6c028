import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseCidr, parseIpv4, parseMac, isMulticastMac, MAC_ZERO } from '../wire/index.ts';
import type { SimTime } from '../sim/index.ts';
import {
  DEFAULTS,
  HOST_ROLES,
  type CommandSpec,
  type CpuSpec,
  type HostSpec,
  type InterfaceAddressSpec,
  type InterfaceSpec,
  type ScenarioSpec,
  type SegmentSpec,
  type ServiceSpec,
  type SysctlSpec,
  type TrafficSpec,
  type TransportProtocol,
} from './schema.ts';
import type { SourcePos } from './ScenarioError.ts';
import { FieldReader, type Field, type Fields } from './fields.ts';
import { parseScenarioYaml, type YamlSource } from './yamlSource.ts';
import type { ReadContext } from './readContext.ts';
import { readTimelineEntry } from './readTimeline.ts';
import { readExpectation } from './readExpect.ts';
import { readExercise, readNarrationStep } from './readNarration.ts';
import { MAX_REQUEST_BYTES, readServiceExtras, readWorkloads, SERVICE_EXTRA_KEYS } from './readWorkload.ts';
import { readKeepalived, readLdirectord } from './readDaemons.ts';
import { resolveLimits, ScenarioLimitError, type ResourceLimits } from './limits.ts';

/**
 * Scenario YAML text → a validated ScenarioSpec, or a ScenarioError naming FILE:LINE:COLUMN, the field path and
 * what was expected. Pure: no I/O, no clock; the same text always gives the same spec or the same error.
 *
 * Implements /work/shared/design/scenario-format.md ("A scenario file") plus the extensions
 * docs/scenario-format.md marks (host-level `services:`, top-level `traffic:`; the timeline's actions, the
 * expectation forms, `narration:` and `exercise:` are read by readTimeline.ts, readExpect.ts and
 * readNarration.ts through the ReadContext this reader implements). Every key of a mapping is read in file order, so the first error
 * reported is the first one in the file, except for cross references (a segment, a host named elsewhere),
 * which are checked once everything is read.
 */
export function loadScenario(text: string, file: string, limits: Partial<ResourceLimits> = {}): ScenarioSpec {
  const lim = resolveLimits(limits);
  const { root, source } = parseScenarioYaml(text, file, lim.maxFileSize);
  return new ScenarioReader(source, lim).scenario(root);
}

const TOP_KEYS = ['name', 'description', 'seed', 'duration', 'segments', 'hosts', 'timeline', 'expect', 'traffic', 'narration', 'exercise', 'workload'] as const;
const SEGMENT_KEYS = ['bandwidth', 'latency', 'queue'] as const;
const HOST_KEYS = ['role', 'position', 'interfaces', 'sysctl', 'commands', 'services', 'cpu', 'keepalived', 'ldirectord'] as const;
const CPU_KEYS = ['per_packet', 'per_byte', 'backlog'] as const;
const INTERFACE_KEYS = ['segment', 'mac', 'addresses', 'latency', 'bandwidth'] as const;
const LOOPBACK_KEYS = ['addresses'] as const;
const SERVICE_KEYS = ['port', 'protocol', 'response', ...SERVICE_EXTRA_KEYS] as const;
const TIMELINE_KEYS = ['at', 'host', 'run'] as const;
const COUNT_FORM_KEYS = ['count', 'equals', 'atLeast', 'atMost'] as const;
const OUTPUT_FORM_KEYS = ['at', 'host', 'run', 'output'] as const;
const EXPECT_KEYS = [...COUNT_FORM_KEYS, ...OUTPUT_FORM_KEYS] as const;
const OUTPUT_TEST_KEYS = ['contains', 'equals', 'matches'] as const;
const TRAFFIC_KEYS = ['at', 'from', 'to', 'protocol', 'request', 'count', 'interval'] as const;
const PROTOCOLS: readonly TransportProtocol[] = ['tcp', 'udp'];

const LOOPBACK = 'lo';

/** Host and segment names: what a trace, a command line and a URL can carry without quoting. */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const NAME_EXPECTED = 'a name of letters, digits, "_", "." and "-" (at most 64 characters, not starting with "." or "-")';

/** linux/if.h IFNAMSIZ, the terminating NUL included. */
const IFNAMSIZ = 16;
const IFNAME_EXPECTED = `an interface name of 1 to ${IFNAMSIZ - 1} characters without "/", ":" or spaces, other than "." and ".."`;

const SYSCTL_KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** Counts and list lengths beyond this are a typo, not a lesson; it also keeps derived times exact. */
const MAX_COUNT = 1_000_000;

/** A cross reference to check once every name is known. */
interface NameRef {
  name: string;
  field: Field;
}

class ScenarioReader implements ReadContext {
  readonly r: FieldReader;
  private readonly segmentRefs: NameRef[] = [];
  private readonly hostRefs: NameRef[] = [];
  private readonly ifaceRefs: Array<{ host: string; iface: string; field: Field; cable: boolean }> = [];

  constructor(
    readonly source: YamlSource,
    private readonly limits: ResourceLimits,
  ) {
    this.r = new FieldReader(source);
  }

  scenario(root: Node | null): ScenarioSpec {
    if (root === null) {
      throw this.source.error({ line: 1, column: 1 }, '', 'a scenario: a mapping with at least name: and hosts:', 'an empty file');
    }
    const rootField: Field = { value: root, path: '', keyPos: this.source.posOf(root) };
    if (!isMap(root)) this.r.fail(rootField, 'a scenario: a mapping with at least name: and hosts:');
    const top = this.r.fields(rootField, TOP_KEYS, 'a scenario mapping');

    const spec: ScenarioSpec = {
      file: this.source.file,
      name: '',
      seed: DEFAULTS.seed,
      duration: DEFAULTS.duration,
      segments: [],
      hosts: [],
      timeline: [],
      expect: [],
      narration: [],
      traffic: [],
      workload: [],
    };
    top.read<(typeof TOP_KEYS)[number]>({
      name: (f) => (spec.name = this.r.text(f, 'the scenario\'s name as text')),
      description: (f) => {
        if (!this.r.isEmpty(f)) spec.description = this.r.text(f, 'a description as text', { allowEmpty: true });
      },
      seed: (f) => (spec.seed = this.r.integer(f, 0, Number.MAX_SAFE_INTEGER, 'a seed: a non-negative integer')),
      duration: (f) => (spec.duration = this.r.duration(f, { positive: true })),
      segments: (f) => (spec.segments = this.segments(f)),
      hosts: (f) => (spec.hosts = this.hosts(f)),
      timeline: (f) => (spec.timeline = this.r.items(f, 'a list of { at, host, run } entries').map((item) => readTimelineEntry(this, item))),
      expect: (f) => (spec.expect = this.r.items(f, 'a list of expectations').map((item) => readExpectation(this, item))),
      narration: (f) => (spec.narration = this.r.items(f, 'a list of narration steps { at or when, text }').map((item) => readNarrationStep(this, item))),
      exercise: (f) => (spec.exercise = readExercise(this, f)),
      traffic: (f) => (spec.traffic = this.r.items(f, 'a list of { at, from, to } exchanges').map((item) => this.trafficEntry(item))),
      workload: (f) => (spec.workload = readWorkloads(this, f)),
    });
    top.require('name', 'a name: key with the scenario\'s title');
    const hostsField = top.require('hosts', 'a hosts: mapping of host names to hosts');
    if (spec.hosts.length === 0) this.r.fail(hostsField, 'a hosts: mapping with at least one host');

    this.checkRefs(this.segmentRefs, spec.segments.map((s) => s.name), 'a segment declared under segments:');
    this.checkRefs(this.hostRefs, spec.hosts.map((h) => h.name), 'a host declared under hosts:');
    this.checkIfaceRefs(spec.hosts);
    return spec;
  }

  // ---- segments ----

  private segments(f: Field): SegmentSpec[] {
    return [...this.r.mapEntries(f, 'a mapping of segment names to segments').values()].map((entry) => {
      this.checkName(entry.key, entry, NAME_RE, NAME_EXPECTED);
      const seg = this.r.fields(entry, SEGMENT_KEYS, 'a segment: a mapping of bandwidth, latency and queue (or {})');
      const spec: SegmentSpec = { name: entry.key, ...DEFAULTS.segment, pos: entry.keyPos };
      seg.read<(typeof SEGMENT_KEYS)[number]>({
        bandwidth: (v) => (spec.bandwidth = this.r.rate(v)),
        latency: (v) => (spec.latency = this.r.duration(v)),
        queue: (v) => (spec.queue = this.r.integer(v, 1, MAX_COUNT, 'a queue length: a positive integer of packets')),
      });
      return spec;
    });
  }

  // ---- hosts ----

  private hosts(f: Field): HostSpec[] {
    if (this.r.isEmpty(f)) this.r.fail(f, 'a hosts: mapping with at least one host');
    const entries = [...this.r.mapEntries(f, 'a mapping of host names to hosts').values()];
    this.checkCount(entries, 'maxHosts', 'hosts');
    return entries.map((entry) => {
      this.checkName(entry.key, entry, NAME_RE, NAME_EXPECTED);
      return this.host(entry.key, entry);
    });
  }

  private host(name: string, f: Field): HostSpec {
    const h = this.r.fields(f, HOST_KEYS, 'a host: a mapping of role, position, interfaces, sysctl, commands, services, cpu, keepalived and ldirectord');
    const spec: HostSpec = { name, interfaces: [], sysctl: [], commands: [], services: [], pos: f.keyPos };
    h.read<(typeof HOST_KEYS)[number]>({
      role: (v) => (spec.role = this.r.oneOf(v, HOST_ROLES, `a role: one of ${HOST_ROLES.join(', ')}`)),
      position: (v) => (spec.position = this.position(v)),
      interfaces: (v) => {
        const entries = [...this.r.mapEntries(v, 'a mapping of interface names to interfaces').values()];
        this.checkCount(entries, 'maxInterfaces', `interfaces on host ${name}`);
        spec.interfaces = entries.map((e) => this.iface(e.key, e));
      },
      sysctl: (v) => (spec.sysctl = this.sysctls(v)),
      commands: (v) => (spec.commands = this.r.items(v, 'a list of commands').map((item) => this.command(item))),
      services: (v) => (spec.services = this.services(v)),
      cpu: (v) => (spec.cpu = this.cpu(v)),
      keepalived: (v) => (spec.keepalived = readKeepalived(this, v)),
      ldirectord: (v) => (spec.ldirectord = readLdirectord(this, v)),
    });
    this.checkUnitNames(spec, h.entries.get('services'));
    return spec;
  }

  /**
   * A service `unit:` may not take the name of a daemon the host runs: systemctl (and a crash's restart) reach
   * a unit by its name, so one of the two would silently stand in for the other.
   */
  private checkUnitNames(spec: HostSpec, services: Field | undefined): void {
    const daemons = [spec.keepalived ? 'keepalived' : '', spec.ldirectord ? 'ldirectord' : ''].filter((d) => d !== '');
    if (services === undefined || daemons.length === 0) return;
    this.r.items(services, 'a list of services').forEach((item, i) => {
      const unit = spec.services[i]?.unit;
      const field = this.r.fields(item, SERVICE_KEYS, 'a service').entries.get('unit');
      if (unit === undefined || field === undefined || !daemons.includes(unit)) return;
      this.r.fail(field, `a unit name other than ${daemons.join(' or ')}: host ${spec.name} runs that daemon, and systemctl names it so`, JSON.stringify(unit));
    });
  }

  /** `cpu: { per_packet: 60us, per_byte: 8ns, backlog: 1000 }`: the director's cost for IPVS packets. */
  private cpu(f: Field): CpuSpec {
    const c = this.r.fields(f, CPU_KEYS, 'cpu: a mapping of per_packet, per_byte and backlog');
    const spec: CpuSpec = {};
    c.read<(typeof CPU_KEYS)[number]>({
      per_packet: (v) => (spec.perPacket = this.r.duration(v)),
      per_byte: (v) => (spec.perByte = this.r.duration(v)),
      backlog: (v) => (spec.backlog = this.r.integer(v, 0, 1_000_000, 'a backlog: a whole number of packets 0..1000000')),
    });
    return spec;
  }

  private position(f: Field): [number, number] {
    const expected = 'a position: two numbers [x, y]';
    if (!isSeq(f.value) || f.value.items.length !== 2) this.r.fail(f, expected);
    const [x, y] = this.r.items(f, expected).map((item) => this.r.number(item, 'a number'));
    return [x, y];
  }

  private iface(name: string, f: Field): InterfaceSpec {
    if (!validInterfaceName(name)) this.r.fail({ ...f, value: null }, IFNAME_EXPECTED, JSON.stringify(name));
    const isLoopback = name === LOOPBACK;
    const i = isLoopback
      ? this.loopbackFields(f)
      : this.r.fields(f, INTERFACE_KEYS, 'an interface: a mapping with segment and optionally mac, addresses, latency, bandwidth');
    const spec: InterfaceSpec = { name, addresses: [], pos: f.keyPos };
    i.read<(typeof INTERFACE_KEYS)[number]>({
      segment: (v) => {
        const segment = this.r.text(v, 'the name of a segment declared under segments:', { singleLine: true });
        spec.segment = segment;
        spec.segmentPos = this.r.valuePos(v);
        this.segmentRefs.push({ name: segment, field: v });
      },
      mac: (v) => (spec.mac = this.mac(v)),
      addresses: (v) => (spec.addresses = this.r.items(v, 'a list of addresses A.B.C.D/N').map((item) => this.address(item))),
      latency: (v) => (spec.latency = this.r.duration(v)),
      bandwidth: (v) => (spec.bandwidth = this.r.rate(v)),
    });
    if (!isLoopback) i.require('segment', 'a segment: key naming the segment this interface plugs into');
    return spec;
  }

  /** `lo` exists on every host; declaring it only adds addresses (it has no cable, so no segment or rate). */
  private loopbackFields(f: Field): Fields {
    const entries = this.r.mapEntries(f, 'lo: a mapping with addresses');
    const segment = entries.get('segment');
    if (segment !== undefined) {
      throw this.source.error(segment.keyPos, segment.path, 'no segment on lo: every host has lo, the loopback interface, and it plugs into no segment', 'a segment');
    }
    return this.r.fields(f, LOOPBACK_KEYS, 'lo: a mapping with addresses', 'only addresses on lo (the loopback interface has no cable, MAC or rate)');
  }

  private mac(f: Field): string {
    const expected = 'a unicast MAC address aa:bb:cc:dd:ee:ff';
    const text = this.r.text(f, expected, { singleLine: true });
    const mac = parseMac(text);
    // The kernel refuses multicast and all-zero addresses on an Ethernet device (is_valid_ether_addr).
    if (mac === undefined || isMulticastMac(mac) || mac === MAC_ZERO) this.r.fail(f, expected);
    return mac;
  }

  private address(f: Field): InterfaceAddressSpec {
    const expected = 'an address with its prefix length, A.B.C.D/N';
    const text = this.r.text(f, expected, { singleLine: true });
    const slash = text.indexOf('/');
    // parseCidr also takes iproute2's abbreviations (`10/8`) and a missing prefix; the file format does not.
    const cidr = slash > 0 && parseIpv4(text.slice(0, slash)) !== undefined ? parseCidr(text) : undefined;
    if (cidr === undefined) this.r.fail(f, expected);
    return { cidr, text, pos: this.r.valuePos(f) };
  }

  private sysctls(f: Field): SysctlSpec[] {
    return [...this.r.mapEntries(f, 'a mapping of sysctl names to values (net.ipv4.ip_forward: 1)').values()].map((e) => {
      if (!SYSCTL_KEY_RE.test(e.key)) this.r.fail({ ...e, value: null }, 'a sysctl name such as net.ipv4.ip_forward', JSON.stringify(e.key));
      const value = this.r.text(e, 'a sysctl value (a number or text)', { singleLine: true });
      return { key: e.key, value, pos: e.keyPos };
    });
  }

  private command(f: Field): CommandSpec {
    return { run: this.commandLine(f), pos: this.r.valuePos(f) };
  }

  /** One line as typed on the host. A plain YAML scalar with `: ` or ` #` turns into something else. */
  private commandLine(f: Field): string {
    return this.r.text(f, 'a command line as text (quote it if it contains ": " or " #")', { singleLine: true });
  }

  private services(f: Field): ServiceSpec[] {
    const seen = new Map<string, SourcePos>();
    return this.r.items(f, 'a list of services { port, protocol, response }').map((item) => {
      const s = this.r.fields(item, SERVICE_KEYS, 'a service: a mapping with port and optionally protocol, response');
      const spec: ServiceSpec = { protocol: DEFAULTS.service.protocol, port: 0, response: DEFAULTS.service.response, pos: s.pos };
      s.read<(typeof SERVICE_KEYS)[number]>({
        port: (v) => (spec.port = this.port(v)),
        protocol: (v) => (spec.protocol = this.protocol(v)),
        response: (v) => (spec.response = this.r.size(v)),
      });
      readServiceExtras(this, s, spec);
      const portField = s.require('port', 'a port: key with the port the service listens on');
      const id = `${spec.protocol}/${spec.port}`;
      const first = seen.get(id);
      if (first !== undefined) {
        this.r.fail(portField, `one service per protocol and port on a host (${id} is first at line ${first.line})`, `${id} again`);
      }
      seen.set(id, s.pos);
      return spec;
    });
  }

  private port(f: Field): number {
    return this.r.integer(f, 1, 65535, 'a port number from 1 to 65535');
  }

  private protocol(f: Field): TransportProtocol {
    return this.r.oneOf(f, PROTOCOLS, 'a protocol: tcp or udp');
  }

  // ---- traffic (timeline, expect, narration and exercise: read*.ts) ----

  private trafficEntry(f: Field): TrafficSpec {
    const t = this.r.fields(f, TRAFFIC_KEYS, 'a traffic entry: a mapping with at, from, to and optionally protocol, request, count, interval');
    const spec: TrafficSpec = {
      at: 0,
      from: '',
      to: 0,
      port: 0,
      protocol: DEFAULTS.traffic.protocol,
      request: DEFAULTS.traffic.request,
      count: DEFAULTS.traffic.count,
      interval: DEFAULTS.traffic.interval,
      pos: t.pos,
    };
    t.read<(typeof TRAFFIC_KEYS)[number]>({
      at: (v) => (spec.at = this.r.duration(v)),
      from: (v) => (spec.from = this.hostRef(v)),
      to: (v) => ([spec.to, spec.port] = this.endpoint(v)),
      protocol: (v) => (spec.protocol = this.protocol(v)),
      request: (v) => (spec.request = this.r.size(v, MAX_REQUEST_BYTES)),
      count: (v) => (spec.count = this.r.integer(v, 1, MAX_COUNT, `a count: a positive integer (at most ${MAX_COUNT})`)),
      interval: (v) => (spec.interval = this.r.duration(v)),
    });
    t.require('at', 'an at: key with the time of the first exchange');
    t.require('from', 'a from: key naming the host that sends the requests');
    t.require('to', 'a to: key with the destination A.B.C.D:PORT');
    if (!Number.isSafeInteger(spec.at + (spec.count - 1) * spec.interval)) {
      this.r.fail(t.get('interval') ?? t.get('count')!, 'exchanges that all start within the simulated time range (2^53 ns)');
    }
    return spec;
  }

  /** `192.168.1.110:80` → [address, port]. */
  private endpoint(f: Field): [number, number] {
    const expected = 'a destination address and port, A.B.C.D:PORT';
    const text = this.r.text(f, expected, { singleLine: true });
    const m = /^([0-9.]+):(\d{1,5})$/.exec(text);
    const address = m === null ? undefined : parseIpv4(m[1]);
    const port = m === null ? 0 : Number(m[2]);
    if (address === undefined || port < 1 || port > 65535) this.r.fail(f, expected);
    return [address, port];
  }

  // ---- names and references ----

  hostRef(f: Field): string {
    const name = this.r.text(f, 'the name of a host declared under hosts:', { singleLine: true });
    this.hostRefs.push({ name, field: f });
    return name;
  }

  /** `HOST/IFACE` (a timeline's link, cable or loss target); checked once every host is read. */
  ifaceRef(f: Field, opts: { cable: boolean }): { host: string; iface: string } {
    const expected = 'an interface as HOST/IFACE (e.g. rs1/eth0)';
    const text = this.r.text(f, expected, { singleLine: true });
    const slash = text.indexOf('/');
    if (slash <= 0 || slash === text.length - 1 || text.indexOf('/', slash + 1) >= 0) this.r.fail(f, expected);
    const ref = { host: text.slice(0, slash), iface: text.slice(slash + 1), field: f, cable: opts.cable };
    this.ifaceRefs.push(ref);
    return ref;
  }

  private checkIfaceRefs(hosts: readonly HostSpec[]): void {
    for (const ref of this.ifaceRefs) {
      const host = hosts.find((h) => h.name === ref.host);
      if (host === undefined) this.r.fail(ref.field, `an interface HOST/IFACE on a host declared under hosts: ${listNames(hosts.map((h) => h.name))}`);
      const names = host.interfaces.map((i) => i.name).filter((n) => n !== LOOPBACK);
      const known = ref.cable ? names : [...names, LOOPBACK];
      if (!known.includes(ref.iface)) {
        const what = ref.cable ? `an interface of ${ref.host} with a cable (lo has none)` : `an interface of ${ref.host}`;
        this.r.fail(ref.field, `${what}: ${listNames(known.map((n) => `${ref.host}/${n}`))}`);
      }
    }
  }

  /** Hosts, a host's interfaces: the first entry past the limit is the error. */
  private checkCount(entries: readonly (Field & { key: string })[], limit: 'maxHosts' | 'maxInterfaces', what: string): void {
    const max = this.limits[limit];
    if (entries.length <= max) return;
    const over = entries[max];
    throw new ScenarioLimitError(this.source.file, over.keyPos, over.path, limit, max, `at most ${max} ${what}`, `${entries.length}`);
  }

  /** Names are map keys: a bad one is reported at the key. */
  private checkName(name: string, f: Field, re: RegExp, expected: string): void {
    if (!re.test(name)) this.r.fail({ ...f, value: null }, expected, JSON.stringify(name));
  }

  private checkRefs(refs: readonly NameRef[], declared: readonly string[], expected: string): void {
    const known = new Set(declared);
    for (const ref of refs) {
      if (!known.has(ref.name)) this.r.fail(ref.field, `${expected} ${listNames(declared)}`);
    }
  }
}

/** net/core/dev.c dev_valid_name(): what the kernel accepts as a device name. */
function validInterfaceName(name: string): boolean {
  if (name.length === 0 || name.length >= IFNAMSIZ) return false;
  if (name === '.' || name === '..') return false;
  return !/[/:\s]/.test(name);
}

function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none are declared)';
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, …` : shown;
}
