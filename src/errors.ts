/**
 * Errors a user can cause. Each carries the exit code the CLI returns (2, as for
 * every usage or input error) and a message that says what was wrong, where, and
 * what to do. Anything that is not an IbvfError is a bug in ibvf and is reported
 * with its stack.
 */
export class IbvfError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A command line that cannot be run: unknown option, bad value, impossible combination. */
export class UsageError extends IbvfError {}

/** A file or text input that is malformed; `file` and `line` say where (line is 1-based). */
export class InputError extends IbvfError {
  constructor(
    readonly detail: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(
      file === undefined ? detail : line === undefined ? `${file}: ${detail}` : `${file}:${line}: ${detail}`,
    );
  }
}

/** A run that started but could not finish (peer lost, deadlock, timeout): exit code 3. */
export class RunError extends IbvfError {
  override readonly exitCode: number = 3;
}
