/** Where a command writes: stdout and stderr in the real program, strings in a test. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}
