import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DEFAULT_LIMITS, LimitError, ScenarioError } from '../lab/index.ts';
import { EXIT_BAD_INPUT, EXIT_INTERNAL } from './exitCodes.ts';

/** A problem with what the user gave us (a path, an option value): printed as one line, exit 2, no stack. */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
}

/**
 * Reads an input file (scenario, configuration, experiment, answer) as UTF-8 text. A file over `maxBytes` is
 * refused from its size, before a byte is read (LimitError maxFileSize); bytes that are not UTF-8 are an error
 * naming the file and the byte offset, never replacement characters.
 */
export function readScenarioFile(file: string, maxBytes: number = DEFAULT_LIMITS.maxFileSize): string {
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > maxBytes) throw new LimitError('maxFileSize', maxBytes, `lvs-lab: ${file}: the file is ${size} bytes`);
      // Read up to one byte past the limit: a file that grows, or a pipe whose size stat cannot tell.
      bytes = Buffer.alloc(Math.min(maxBytes + 1, Math.max(size, 64 * 1024)));
      let n = 0;
      for (;;) {
        if (n === bytes.length) {
          if (n > maxBytes) throw new LimitError('maxFileSize', maxBytes, `lvs-lab: ${file}: the file is over ${maxBytes} bytes`);
          const bigger = Buffer.alloc(Math.min(maxBytes + 1, bytes.length * 2));
          bytes.copy(bigger);
          bytes = bigger;
        }
        const got = readSync(fd, bytes, n, bytes.length - n, null);
        if (got === 0) break;
        n += got;
      }
      if (n > maxBytes) throw new LimitError('maxFileSize', maxBytes, `lvs-lab: ${file}: the file is over ${maxBytes} bytes`);
      bytes = bytes.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof LimitError) throw err;
    throw new UserInputError(`lvs-lab: cannot read ${file}: ${fsReason(err)}`);
  }
  if (!isUtf8(bytes)) {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const line = countLines(bytes, at);
    throw new UserInputError(`lvs-lab: ${file}: not UTF-8 text: byte 0x${bytes[at].toString(16).padStart(2, '0')} at byte offset ${at} (line ${line}) is not valid UTF-8; save the file as UTF-8`);
  }
  return bytes.toString('utf8');
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    // A broken sequence is reported at its first byte, where the character that cannot be read starts.
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

function countLines(b: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) line++;
  return line;
}

/** `ENOENT: no such file or directory` without the path Node repeats after it. */
export function fsReason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const text = err.message.replace(/,\s*\w+\s+'.*'$/, '');
    return code !== undefined && !text.startsWith(code) ? `${code}: ${text}` : text;
  }
  return String(err);
}

/**
 * Turns an error into its printout and exit status. Scenario and input errors are the user's: their message is
 * the whole story (a ScenarioError's is `FILE:LINE:COLUMN: path: expected ...`). Anything else is a bug in
 * lvs-lab, reported with its stack so it can be fixed.
 */
export function reportError(err: unknown, write: (text: string) => void): number {
  if (err instanceof ScenarioError || err instanceof UserInputError || err instanceof LimitError) {
    write(`${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
  write(`lvs-lab: internal error (please report it with the scenario file):\n${detail}\n`);
  return EXIT_INTERNAL;
}
