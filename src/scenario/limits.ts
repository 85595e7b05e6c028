import { ScenarioError, type SourcePos } from './ScenarioError.ts';

/**
 * Resource limits: what a scenario, a run and its trace may use at most, so that no file — shared by a stranger,
 * pasted by a student, or simply mistyped — can exhaust the memory of a browser tab or keep a CLI run going for
 * ever. Each has a default, a LabOptions field and a CLI flag that raise it (docs/scenario-format.md, "Limits").
 */
export interface ResourceLimits {
  /** Hosts in one scenario. */
  maxHosts: number;
  /** Interfaces of one host (lo included). */
  maxInterfaces: number;
  /** Bytes of a scenario file (UTF-8). */
  maxFileSize: number;
  /** Simulator events of one run (every timer, frame and callback). */
  maxEvents: number;
  /** Bytes of the trace as canonical JSON lines (src/trace/canonicalJson.ts), as it is produced. */
  maxTraceBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  maxHosts: 5_000,
  maxInterfaces: 64,
  maxFileSize: 10 * 1024 * 1024,
  maxEvents: 100_000_000,
  maxTraceBytes: 1024 * 1024 * 1024,
});

/**
 * No limits, for scenarios lvs-lab generates itself and runs in full on purpose (the benchmarks: 60,000 real
 * servers, runs of more than 10^8 events).
 */
export const NO_LIMITS: Readonly<ResourceLimits> = Object.freeze({
  maxHosts: Number.MAX_SAFE_INTEGER,
  maxInterfaces: Number.MAX_SAFE_INTEGER,
  maxFileSize: Number.MAX_SAFE_INTEGER,
  maxEvents: Number.MAX_SAFE_INTEGER,
  maxTraceBytes: Number.MAX_SAFE_INTEGER,
});

export type LimitName = keyof ResourceLimits;

/** The CLI flag that raises each limit. */
export const LIMIT_FLAGS: Readonly<Record<LimitName, string>> = Object.freeze({
  maxHosts: '--max-hosts',
  maxInterfaces: '--max-interfaces',
  maxFileSize: '--max-file-size',
  maxEvents: '--max-events',
  maxTraceBytes: '--max-trace-bytes',
});

/** How to raise a limit, as every limit error says it. */
export function raiseHint(limit: LimitName): string {
  return `raise it with ${LIMIT_FLAGS[limit]} or LabOptions.${limit}`;
}

/** The limits in force: the defaults with the caller's overrides (each a positive safe integer). */
export function resolveLimits(overrides: Partial<ResourceLimits> = {}): ResourceLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const v = overrides[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`LabOptions.${key}: expected a positive integer, got ${String(v)}`);
    out[key] = v;
  }
  return out;
}

/**
 * A run that reached a dynamic limit (events, trace bytes): the run stopped there, cleanly, and can be read
 * (its trace so far, its state) but not continued. The CLI prints the message and exits 2.
 */
export class LimitError extends Error {
  override readonly name = 'LimitError';
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly detail: string,
  ) {
    super(`${detail}: the limit is ${max} (${raiseHint(limit)})`);
  }

  get flag(): string {
    return LIMIT_FLAGS[this.limit];
  }
}

/**
 * A scenario file over a static limit (hosts, interfaces, size): a ScenarioError at the first key past the
 * limit, so every face shows it like any other error in the file, and it also says which limit and flag.
 */
export class ScenarioLimitError extends ScenarioError {
  override readonly name = 'ScenarioLimitError';
  constructor(
    file: string,
    pos: SourcePos,
    path: string,
    readonly limit: LimitName,
    readonly max: number,
    what: string,
    got: string,
  ) {
    super(file, pos, path, `${what} (the limit; ${raiseHint(limit)})`, got);
  }

  get flag(): string {
    return LIMIT_FLAGS[this.limit];
  }
}

/** UTF-8 length of a string without encoding it (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
