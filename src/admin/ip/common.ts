import type { CommandResult } from '../AdminCommand.ts';
import { CommandError, fail } from '../AdminCommand.ts';
import { TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN, type Host, type Interface } from '../../net/index.ts';
import { prefixMask, type Ipv4Address } from '../../wire/index.ts';

/**
 * What every `ip OBJECT` parser shares: iproute2's keyword matching, argument cursor, error messages and exit
 * statuses (ip/ip.c, lib/utils.c, lib/rt_names.c). iproute2 exits 255 for usage errors (`exit(-1)`), 1 for bad
 * prefixes and unknown devices, and 2 when the kernel refuses the request (`RTNETLINK answers: ...`).
 */

/** Global options before the object (`ip -4 addr`). */
export interface IpOptions {
  /** `-4` / `-family inet`: only IPv4 (the only family the lab models, but it also hides link lines). */
  readonly inet: boolean;
}

/** A parsed `ip OBJECT COMMAND ...` line: the work it does on a host. */
export type IpRun = (host: Host) => CommandResult;

/** iproute2's `matches(arg, keyword)`: arg is a non-empty prefix of keyword (`ip a s` = `ip address show`). */
export function matches(arg: string, keyword: string): boolean {
  return arg.length > 0 && arg.length <= keyword.length && keyword.startsWith(arg);
}

/** The argument cursor iproute2 walks with NEXT_ARG(). */
export class Args {
  private i = 0;

  constructor(private readonly words: readonly string[]) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }

  peek(): string | undefined {
    return this.words[this.i];
  }

  /** The current word; the cursor moves past it. */
  take(): string {
    if (this.done) throw incomplete();
    return this.words[this.i++];
  }

  /** The value after a keyword (NEXT_ARG): `Command line is not complete` when there is none. */
  value(): string {
    return this.take();
  }

  rest(): string[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }
}

// ---------------------------------------------------------------------------------------------- errors

export function incomplete(): CommandError {
  return fail(255, 'Command line is not complete. Try option "help"');
}

export function invarg(msg: string, arg: string): CommandError {
  return fail(255, `Error: argument "${arg}" is wrong: ${msg}`);
}

export function duparg2(key: string, arg: string): CommandError {
  return fail(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

export function duparg(key: string, arg: string): CommandError {
  return fail(255, `Error: duplicate "${key}": "${arg}" is the second value.`);
}

export function nodev(name: string): CommandError {
  return fail(1, `Cannot find device "${name}"`);
}

/** The kernel refused the request: errno text as iproute2 prints it. */
export function rtnl(errnoText: string): CommandError {
  return fail(2, `RTNETLINK answers: ${errnoText}`);
}

/** The kernel refused the request with an extended-ack message (kernels ≥ 4.12 for routes). */
export function extack(msg: string): CommandError {
  return fail(2, `Error: ${msg}.`);
}

export function notModelled(what: string): CommandError {
  return fail(255, `ip: ${what} is not modelled by lvs-lab`);
}

export function unknownCommand(cmd: string, object: string): CommandError {
  return fail(255, `Command "${cmd}" is unknown, try "ip ${object} help".`);
}

// ---------------------------------------------------------------------------------------------- values

/**
 * iproute2's get_addr_ipv4: one to four decimal parts, missing ones zero (`10` is 10.0.0.0, `10.1` is
 * 10.1.0.0), so `0/0` and `10/8` work as prefixes.
 */
export function parseInet(text: string): Ipv4Address | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '0';
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export interface InetPrefix {
  readonly address: Ipv4Address;
  readonly prefixLen: number;
  /** Whether `/N` was written (`ip addr del` without it matches any prefix length). */
  readonly lenGiven: boolean;
}

/** get_prefix: `default`/`any`/`all` or ADDR[/LEN]; `Error: inet prefix is expected rather than "x".` */
export function parsePrefix(text: string): InetPrefix {
  if (text === 'default' || text === 'any' || text === 'all') return { address: 0, prefixLen: 0, lenGiven: true };
  const slash = text.indexOf('/');
  const addr = parseInet(slash < 0 ? text : text.slice(0, slash));
  let len = 32;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    len = /^\d{1,2}$/.test(l) ? Number(l) : NaN;
  }
  if (addr === undefined || !(len >= 0 && len <= 32)) throw fail(1, `Error: inet prefix is expected rather than "${text}".`);
  return { address: addr, prefixLen: len, lenGiven: slash >= 0 };
}

/** get_addr: one address; `Error: inet address is expected rather than "x".` */
export function parseAddress(text: string): Ipv4Address {
  const a = parseInet(text);
  if (a === undefined) throw fail(1, `Error: inet address is expected rather than "${text}".`);
  return a;
}

/** get_u32 with base 0 (decimal, 0x hex, leading-0 octal). */
export function parseU32(text: string): number | undefined {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) v = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) v = Number(text);
  else return undefined;
  return v <= 0xffffffff ? v : undefined;
}

/** rtnl_rttable_a2n: `local`, `main`, `default` or a number (/etc/iproute2/rt_tables). */
export function parseTable(text: string): number | undefined {
  if (text === 'local') return TABLE_LOCAL;
  if (text === 'main') return TABLE_MAIN;
  if (text === 'default') return TABLE_DEFAULT;
  if (text === 'unspec') return 0;
  return parseU32(text);
}

/** rtnl_rtscope_a2n: names or a number 0..255. */
export function parseScope(text: string): number | undefined {
  const named: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };
  if (text in named) return named[text];
  const n = parseU32(text);
  return n !== undefined && n <= 255 ? n : undefined;
}

export function formatPrefix(address: Ipv4Address, prefixLen: number, fmt: (a: Ipv4Address) => string): string {
  return prefixLen === 32 ? fmt(address) : `${fmt(address)}/${prefixLen}`;
}

export function hostBitsSet(address: Ipv4Address, prefixLen: number): boolean {
  return ((address & ~prefixMask(prefixLen)) >>> 0) !== 0;
}

export function device(host: Host, name: string): Interface {
  const d = host.iface(name);
  if (!d) throw nodev(name);
  return d;
}
