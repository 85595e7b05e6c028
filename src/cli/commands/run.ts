import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Lab, type ResourceLimits, type SimTime } from '../../lab/index.ts';
import { EXIT_EXPECTATION_FAILED, EXIT_OK } from '../exitCodes.ts';
import { SegmentCapture } from '../output/pcapFiles.ts';
import { formatRunReport } from '../output/runReport.ts';
import { runMetrics } from '../../metrics/index.ts';
import { fsReason, readScenarioFile, reportError, UserInputError } from '../userInput.ts';
import type { CliIo } from '../CliIo.ts';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Overrides the scenario's duration. */
  until?: SimTime;
  /** Path of the canonical JSONL trace to write. */
  trace?: string;
  /** Directory for one pcap file per segment. */
  pcap?: string;
  /** Resource limits from the --max-* flags. */
  limits?: Partial<ResourceLimits>;
}

/**
 * `lvs-lab run FILE`: builds the scenario, runs it to its duration (or `--until`), writes the trace and the
 * captures if asked, prints the summary and the expectations. Exit 0 when every expectation holds, 1 when one
 * fails, 2 for bad input. Output files are opened before the run so a bad path fails fast, and written even
 * when an expectation fails: that is when they are needed.
 */
export function runCommand(file: string, opts: RunOptions, io: CliIo): number {
  let traceFd: number | undefined;
  try {
    const lab = Lab.fromText(readScenarioFile(file, opts.limits?.maxFileSize), { ...opts.limits, file, seed: opts.seed });
    // Registered before the run: onFrame only sees frames sent after it.
    const capture = opts.pcap !== undefined ? new SegmentCapture(lab) : undefined;
    if (opts.pcap !== undefined) makeDir(opts.pcap);
    if (opts.trace !== undefined) traceFd = openForWriting(opts.trace);

    lab.run(opts.until ?? lab.duration);

    if (traceFd !== undefined) {
      // Streamed in chunks, its bytes counted against --max-trace-bytes: a trace of any size within the limit
      // is written without being one string (JavaScript strings stop at about 512 MiB).
      const fd = traceFd;
      let chunk = '';
      lab.writeTrace((line) => {
        chunk += line;
        if (chunk.length >= TRACE_CHUNK) {
          writeAll(fd, chunk, opts.trace!);
          chunk = '';
        }
      });
      writeAll(fd, chunk, opts.trace!);
      closeSync(traceFd);
      traceFd = undefined;
    }
    if (capture !== undefined) {
      try {
        capture.writeTo(opts.pcap!);
      } catch (err) {
        throw new UserInputError(`lvs-lab: cannot write captures to ${opts.pcap}: ${fsReason(err)}`);
      }
    }
    const expectations = lab.expectations();
    io.out(formatRunReport({ file, scenario: lab.name, seed: lab.seed, ranTo: lab.now(), summary: lab.summary(), expectations, narration: lab.narration(), metrics: runMetrics(lab.events, lab.now()) }));
    return expectations.every((e) => e.pass) ? EXIT_OK : EXIT_EXPECTATION_FAILED;
  } catch (err) {
    return reportError(err, io.err);
  } finally {
    if (traceFd !== undefined) closeSync(traceFd);
  }
}

/** Characters of trace gathered before each write. */
const TRACE_CHUNK = 1 << 20;

function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot create ${dir}: ${fsReason(err)}`);
  }
}

function openForWriting(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'w');
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot write ${path}: ${fsReason(err)}`);
  }
}

function writeAll(fd: number, text: string, path: string): void {
  try {
    const bytes = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } catch (err) {
    throw new UserInputError(`lvs-lab: cannot write ${path}: ${fsReason(err)}`);
  }
}
