/**
 * Where ibvf writes: data on stdout, messages and progress on stderr. The CLI and the
 * probe both write through this, so it lives below both (the probe never imports the
 * CLI); library users pass `processIo`, or `memoryIo()` to capture what a run prints.
 */
export interface OutputStreams {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  stderrIsTTY: boolean;
}

export const processIo: OutputStreams = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: Boolean(process.stderr.isTTY),
};

/** Collects output in memory; tests run commands in-process through it. */
export function memoryIo(): OutputStreams & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stderrIsTTY: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
