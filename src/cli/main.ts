import { mainAsync } from './program.ts';

// The entry point bin/lvs-lab.js loads. exitCode rather than process.exit(): stdout may be a pipe, and
// exiting at once could cut the output short.
process.exitCode = await mainAsync(
  process.argv.slice(2),
  {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  },
  // Progress of long commands: stderr only, redrawn in place when it is a terminal.
  { write: (text) => void process.stderr.write(text), tty: process.stderr.isTTY === true, now: () => performance.now() },
  process.env,
);
