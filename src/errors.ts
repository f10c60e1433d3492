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

/**
 * A message on one line: a line break or other control character quoted from the input
 * (a bare carriage return in a damaged file) is shown escaped, as \r or \u0000.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A file or text input that is malformed; `file` and `line` say where (line is 1-based).
 * The message is always one line (control characters quoted from the input are escaped).
 */
export class InputError extends IbvfError {
  constructor(
    readonly detail: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(
      oneLine(
        file === undefined
          ? detail
          : line === undefined
            ? `${file}: ${detail}`
            : `${file}:${line}: ${detail}`,
      ),
    );
  }
}

/** A run that started but could not finish (peer lost, deadlock, timeout): exit code 3. */
export class RunError extends IbvfError {
  override readonly exitCode: number = 3;
}
