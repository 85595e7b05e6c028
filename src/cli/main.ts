import { main } from './program.ts';

// The entry point bin/lvs-lab.js loads. exitCode rather than process.exit(): stdout may be a pipe, and
// exiting at once could cut the output short.
process.exitCode = main(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
