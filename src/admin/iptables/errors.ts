import { CommandError, fail } from '../AdminCommand.ts';

/**
 * How iptables-legacy 1.8.9 reports trouble (iptables/xshared.c xtables_exit_error, iptables.c): parameter
 * problems exit 2 with the version prefix and the "Try" line, libiptc refusals exit 1 as `iptables: TEXT.`, a
 * table that cannot be opened exits 3.
 */
export const VERSION = 'iptables v1.8.9 (legacy)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.";

/** PARAMETER_PROBLEM: `iptables v1.8.9 (legacy): MSG` and the Try line; MSG may span lines. */
export function paramProblem(msg: string): CommandError {
  const [first, ...rest] = msg.split('\n');
  return fail(2, `${VERSION}: ${first}`, ...rest, TRY);
}

/** A non-option word iptables cannot place (getopt's case 1). */
export function badArgument(word: string): CommandError {
  return fail(2, `Bad argument \`${word}'`, TRY);
}

/** libiptc refused the change (iptc_strerror text, without the final period). */
export function iptcError(message: string): CommandError {
  return fail(1, `iptables: ${message}.`);
}

/** A table the lab does not have, as when its module is missing (VERSION_PROBLEM). */
export function noTable(name: string): CommandError {
  return fail(
    3,
    `${VERSION}: can't initialize iptables table \`${name}': Table does not exist (do you need to insmod?)`,
    'Perhaps iptables or your kernel needs to be upgraded.',
  );
}

/** A real iptables extension or option the lab does not model: named, so the reader knows what is missing. */
export function notModelled(what: string): CommandError {
  return paramProblem(`${what} is not supported by lvs-lab`);
}
