import { mainAsync } from './program.ts';

// A reader that stops early (`lvs-lab run x.yaml | head`) closes the pipe: stop quietly, as Unix tools do,
// instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

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
