/**
 * Reading a user's text input file (a benchmark output, a profile, a sidecar, a paper's
 * rows) without the ways a path can hang or exhaust memory: a FIFO blocks until a writer
 * comes and a device such as /dev/zero never ends, so both are refused before opening;
 * a regular file larger than the reader's limit is refused by its size. The text comes
 * back without a byte-order mark (text.ts).
 */
import { closeSync, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import { InputError } from './errors.js';
import { stripBom } from './text.js';

/**
 * The largest text input read unless a reader says otherwise: 64 MB, far above any
 * benchmark output or profile (the largest probe result with every sample is a few MB).
 */
export const DEFAULT_TEXT_MAX_BYTES = 64 * 1024 ** 2;

export interface ReadTextOptions {
  /** Refuse a larger file (bytes). */
  maxBytes?: number;
  /** What the file is, for messages ("the profile file"). */
  what?: string;
}

/** A file that could not be opened or read: `code` is Node's (ENOENT, EACCES, ...). */
export class UnreadableFileError extends InputError {
  constructor(
    detail: string,
    file: string,
    readonly code: string,
  ) {
    super(detail, file);
  }
}

/** A FIFO or a device never ends (or blocks), a directory cannot be read: refused at once, naming `what`. */
export function refuseIfNotRegular(stat: Stats, file: string, what: string): void {
  if (stat.isFile()) return;
  const kind = stat.isDirectory()
    ? 'a directory'
    : stat.isFIFO()
      ? 'a FIFO'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : 'not a regular file';
  throw new InputError(`cannot read ${what}: it is ${kind}, not a regular file`, file);
}

/** The text of `file`, or an InputError saying why not (one line, naming the file). */
export function readTextFile(file: string, options: ReadTextOptions = {}): string {
  const what = options.what ?? 'the file';
  const maxBytes = options.maxBytes ?? DEFAULT_TEXT_MAX_BYTES;
  const unreadable = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return new UnreadableFileError(`cannot read ${what} (${code})`, file, code);
  };
  let fd: number;
  try {
    refuseIfNotRegular(statSync(file), file, what);
    fd = openSync(file, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw unreadable(e);
  }
  try {
    // Looked at again once open: the path may have been replaced meanwhile.
    const stat = fstatSync(fd);
    refuseIfNotRegular(stat, file, what);
    if (stat.size > maxBytes)
      throw new InputError(`${what} has ${stat.size} bytes, more than the limit of ${maxBytes}`, file);
    return stripBom(readFileSync(fd, 'utf8'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw unreadable(e);
  } finally {
    closeSync(fd);
  }
}
